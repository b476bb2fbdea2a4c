package io.mapsync.bench.etcd;

import io.mapsync.raft.etcd.EtcdConfig;
import io.mapsync.raft.etcd.EtcdStore;
import io.mapsync.store.StateStore;
import io.mapsync.wire.MapSpec;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Measures a store the way the agent loads it: propose-to-commit latency at fixed offered delta
 * rates (open loop), and the most deltas per second it sustains with full batches (closed loop).
 * The engine ({@link #run}) only uses the {@link StateStore} SPI, so the same numbers can be taken
 * from the embedded Ratis store; {@link #main} points it at a running etcd cluster.
 *
 * <pre>
 * java ... io.mapsync.bench.etcd.EtcdStoreBench --endpoints http://127.0.0.1:2379,... \
 *     [--prefix /bench] [--rates 1000,10000] [--batches 1,16,64,127] [--duration 15s] [--warmup 3s] \
 *     [--repeats 3] [--origins 1] [--max-batch 127] [--map-type lru_hash|hash] [--key-size 16] \
 *     [--value-size 32] [--key-space 100000] [--json report.json]
 * </pre>
 */
public final class EtcdStoreBench {
  private static final Logger LOG = LoggerFactory.getLogger(EtcdStoreBench.class);

  private EtcdStoreBench() {}

  /**
   * Runs every measurement of the options against the store (which must be empty of map "bench" or
   * hold the same spec).
   */
  public static EtcdBenchReport run(StateStore store, String description, BenchOptions options)
      throws Exception {
    MapSpec spec =
        MapSpec.newBuilder()
            .setName(BenchDeltas.MAP)
            .setType(options.mapType())
            .setKeySize(options.keySize())
            .setValueSize(options.valueSize())
            .setMaxEntries(options.keySpace() * 2)
            .build();
    store.registerMap(spec).get(60, TimeUnit.SECONDS);
    String id = Long.toHexString(System.currentTimeMillis());
    List<List<EtcdBenchReport.RateRun>> rates = new ArrayList<>();
    for (int rate : options.rates()) {
      List<EtcdBenchReport.RateRun> runs = new ArrayList<>();
      for (int r = 0; r < options.repeats(); r++) {
        EtcdBenchReport.RateRun run =
            new OpenLoopLoad(store, options).run(rate, id + "-" + rate + "-" + r);
        LOG.info("open loop {} deltas/s, run {}: {}", rate, r + 1, run);
        runs.add(run);
        compact(store);
      }
      rates.add(runs);
    }
    List<List<EtcdBenchReport.SaturationRun>> saturation = new ArrayList<>();
    for (int size : options.batchSizes()) {
      List<EtcdBenchReport.SaturationRun> runs = new ArrayList<>();
      for (int r = 0; r < options.repeats(); r++) {
        EtcdBenchReport.SaturationRun run =
            new SaturationLoad(store, options).run(size, id + "-b" + size + "-" + r);
        LOG.info("saturation, batches of {}, run {}: {}", size, r + 1, run);
        runs.add(run);
        compact(store);
      }
      saturation.add(runs);
    }
    return new EtcdBenchReport(description, options, rates, saturation);
  }

  /** Keeps the benchmark's own history from filling the backend between runs. */
  private static void compact(StateStore store) throws Exception {
    // Reading a map that does not exist costs one small read and still says the current revision.
    long revision =
        store.readMaps(List.of("no-such-map-revision-probe")).get(60, TimeUnit.SECONDS).revision();
    if (revision > 0) {
      store.compact(revision).get(60, TimeUnit.SECONDS);
    }
  }

  public static void main(String[] args) throws Exception {
    Map<String, String> flags = new HashMap<>();
    BenchOptions options = BenchOptions.defaults();
    for (int i = 0; i + 1 < args.length; i += 2) {
      switch (args[i]) {
        case "--endpoints", "--prefix", "--json", "--max-txn-ops" ->
            flags.put(args[i], args[i + 1]);
        default -> options = options.with(args[i], args[i + 1]);
      }
    }
    if (args.length % 2 != 0 || !flags.containsKey("--endpoints")) {
      System.err.println(
          "usage: EtcdStoreBench --endpoints http://host:port[,...] [--prefix /bench] [--json file]"
              + " [--rates 1000,10000] [--batches 1,16,64,127] [--duration 15s] [--warmup 3s] [--repeats 3] [--origins 1]"
              + " [--max-batch 127] [--map-type lru_hash] [--key-size 16] [--value-size 32] [--key-space 100000]"
              + " [--max-txn-ops 128]");
      System.exit(2);
    }
    EtcdConfig config =
        EtcdConfig.fromProperties(
            Map.of(
                EtcdConfig.ENDPOINTS, flags.get("--endpoints"),
                EtcdConfig.PREFIX, flags.getOrDefault("--prefix", "/bench"),
                EtcdConfig.MAX_TXN_OPS,
                    flags.getOrDefault(
                        "--max-txn-ops", String.valueOf(EtcdConfig.DEFAULT_MAX_TXN_OPS))));
    try (EtcdStore store = EtcdStore.open(config)) {
      String description =
          "etcd at " + String.join(",", config.endpoints()) + " prefix " + config.prefix();
      EtcdBenchReport report = run(store, description, options);
      System.out.println(report.toTable());
      System.out.println(report.toJson());
      if (flags.containsKey("--json")) {
        Files.writeString(
            Path.of(flags.get("--json")), report.toJson() + "\n", StandardCharsets.UTF_8);
      }
    }
  }
}
