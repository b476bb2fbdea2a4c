package io.mapsync.chaos;

import io.mapsync.bpf.testing.Require;
import io.mapsync.lab.Prerequisites;
import io.mapsync.lab.Shell;

/**
 * What the chaos lab needs: root, BPF with the syscall tracepoints (the agents' capture), and the
 * tools faults are made of. Missing pieces skip with the reason printed, or fail under
 * MAPSYNC_REQUIRE_ALL=1.
 */
final class LabRequirements {
  private LabRequirements() {}

  static void check() {
    Require.tracepoints();
    for (String tool : new String[] {"ip", "nft", "nsenter", "tc", "kill"}) {
      Prerequisites.require(
          Shell.hasTool(tool),
          "the chaos lab needs '" + tool + "' (iproute2, nftables, util-linux)");
    }
    Prerequisites.networkNamespaces();
  }

  /** One more tool a scenario's fault uses (mount for a data disk, ...). */
  static void tool(String name) {
    Prerequisites.require(Shell.hasTool(name), "this chaos scenario needs '" + name + "'");
  }
}
