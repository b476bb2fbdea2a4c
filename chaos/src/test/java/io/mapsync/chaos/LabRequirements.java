package io.mapsync.chaos;

import io.mapsync.bpf.testing.Require;
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
      Require.that(
          Shell.hasTool(tool),
          "the chaos lab needs '" + tool + "' (iproute2, nftables, util-linux)");
    }
    Require.that(canCreateNamespace(), "cannot create network namespaces (ip netns add) here");
  }

  /** One more tool a scenario's fault uses (mount for a data disk, faketime's library, ...). */
  static void tool(String name) {
    Require.that(Shell.hasTool(name), "this chaos scenario needs '" + name + "'");
  }

  private static boolean canCreateNamespace() {
    String probe = "mschaos-probe-" + ProcessHandle.current().pid();
    try {
      Shell.run("ip", "netns", "add", probe);
      return true;
    } catch (java.io.IOException e) {
      System.out.println("chaos: " + e.getMessage());
      return false;
    } finally {
      Shell.quietly("ip", "netns", "del", probe);
    }
  }
}
