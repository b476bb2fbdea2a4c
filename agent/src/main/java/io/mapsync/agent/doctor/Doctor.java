package io.mapsync.agent.doctor;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Runs every host check for an agent that would use this data dir and these ports. */
public final class Doctor {
  private Doctor() {}

  /**
   * @param ports role (raft, client, metrics) to host:port, in the order to report
   */
  public static List<Finding> run(Path dataDir, Map<String, String> ports) {
    Path root = Path.of("/");
    List<Finding> out = new ArrayList<>(new KernelChecks(root).all());
    out.addAll(CaptureChecks.all());
    out.add(HostChecks.clockSource(root));
    out.add(HostChecks.fsync(dataDir, 20));
    ports.forEach((role, address) -> out.add(HostChecks.port(role, address)));
    return out;
  }
}
