package io.mapsync.bench.etcd;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mapsync.raft.etcd.EtcdClusterExtension;
import io.mapsync.raft.etcd.EtcdStore;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** A short run of the benchmark engine against a real cluster: it measures, commits and reports. */
class EtcdStoreBenchTest {
  @RegisterExtension static final EtcdClusterExtension ETCD = new EtcdClusterExtension(3);

  @Test
  void aShortRunReportsLatencyAndThroughput() throws Exception {
    BenchOptions options =
        BenchOptions.defaults()
            .with("--rates", "300")
            .with("--batches", "8")
            .with("--duration", "1s")
            .with("--warmup", "0.3s")
            .with("--repeats", "1")
            .with("--origins", "2")
            .with("--key-space", "1000");
    try (EtcdStore store = EtcdStore.open(ETCD.config().withPrefix("/bench-smoke"))) {
      EtcdBenchReport report = EtcdStoreBench.run(store, "smoke", options);
      EtcdBenchReport.RateRun open = report.rates().get(0).get(0);
      assertEquals(0, open.errors());
      assertTrue(
          open.achievedPerSec() > 100 && open.p50() > 0 && open.p99() >= open.p50(),
          open.toString());
      EtcdBenchReport.SaturationRun sat = report.saturation().get(0).get(0);
      assertTrue(sat.deltasPerSec() > 0 && sat.errors() == 0, sat.toString());
      assertTrue(report.toTable().contains("offered/s"), report.toTable());
      assertTrue(report.toJson().startsWith("{\"store\":\"smoke\""), report.toJson());
      assertEquals(List.of(300), report.options().rates());
    }
  }
}
