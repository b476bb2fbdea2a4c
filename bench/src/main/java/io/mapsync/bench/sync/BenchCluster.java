package io.mapsync.bench.sync;

import io.mapsync.bpf.BpfMap;
import io.mapsync.lab.AgentProcesses;
import io.mapsync.lab.LocalLog;

/** A fresh 3-agent cluster on one backend with A's map to write and a probe on B's, for one run. */
final class BenchCluster {
  /** What a run does with the cluster. */
  interface Body<T> {
    T run(SyncBench bench, AgentProcesses agents) throws Exception;
  }

  private BenchCluster() {}

  /** Starts the cluster, runs the body, removes everything (processes, pins, data dirs). */
  static <T> T with(String backend, Body<T> body) throws Exception {
    try (LocalLog log = LocalLog.start(backend);
        AgentProcesses agents =
            new AgentProcesses(
                3,
                "bench:hash:8:8:" + SyncBench.KEY_SLOTS,
                "/sys/fs/bpf/mapsync-bench",
                log.agentArgs())) {
      agents.start(false);
      try (BpfMap a = BpfMap.openPinned(agents.pin("n1"));
          BpfMap b = BpfMap.openPinned(agents.pin("n2"));
          VisibilityProbe probe = new VisibilityProbe(b, 20_000_000)) {
        return body.run(new SyncBench(a, probe), agents);
      }
    }
  }
}
