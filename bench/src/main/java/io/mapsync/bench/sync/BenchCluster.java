package io.mapsync.bench.sync;

import io.mapsync.bpf.BpfMap;
import io.mapsync.lab.AgentProcesses;
import io.mapsync.lab.DemoPki;
import io.mapsync.lab.LocalLog;
import java.util.ArrayList;
import java.util.List;

/** A fresh 3-agent cluster on one backend with A's map to write and a probe on B's, for one run. */
final class BenchCluster {
  /** What a run does with the cluster. */
  interface Body<T> {
    T run(SyncBench bench, AgentProcesses agents) throws Exception;
  }

  private BenchCluster() {}

  /** Starts the cluster, runs the body, removes everything (processes, pins, data dirs). */
  static <T> T with(String backend, Body<T> body) throws Exception {
    return with(backend, false, body);
  }

  /**
   * As {@link #with(String, Body)}, with mutual TLS between the agents and on their client ports
   * when {@code tls} is set (a throw-away CA, removed afterwards).
   */
  static <T> T with(String backend, boolean tls, Body<T> body) throws Exception {
    try (DemoPki pki = tls ? DemoPki.create(3) : null;
        LocalLog log = LocalLog.start(backend);
        AgentProcesses agents =
            new AgentProcesses(
                3,
                "bench:hash:8:8:" + SyncBench.KEY_SLOTS,
                "/sys/fs/bpf/mapsync-bench",
                args(log, pki))) {
      agents.start(false);
      try (BpfMap a = BpfMap.openPinned(agents.pin("n1"));
          BpfMap b = BpfMap.openPinned(agents.pin("n2"));
          VisibilityProbe probe = new VisibilityProbe(b, 20_000_000)) {
        return body.run(new SyncBench(a, probe), agents);
      }
    }
  }

  private static List<String> args(LocalLog log, DemoPki pki) {
    List<String> out = new ArrayList<>(log.agentArgs());
    if (pki != null) {
      out.addAll(pki.agentArgs());
    }
    return out;
  }
}
