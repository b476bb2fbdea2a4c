package io.mapsync.bench.store;

import io.mapsync.raft.ratis.LocalCluster;
import io.mapsync.raft.ratis.RatisNode;
import io.mapsync.raft.ratis.Transport;
import io.mapsync.store.StateStore;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * The store benchmark: three members of the embedded Ratis store in this process, on loopback,
 * fsync on, each in its own temporary directory. After a JIT warm-up it measures commit latency
 * (propose until the future completes) and follower-apply latency (until another member's replica
 * delivers the delta to a watch) at fixed offered rates, then the sustained maximum with batches.
 * Every scenario runs several times; the report gives medians.
 */
@Command(
    name = "store",
    mixinStandardHelpOptions = true,
    sortOptions = false,
    description =
        "Measures the embedded Ratis store: commit and follower-apply latency at fixed rates,"
            + " and the sustained delta rate with batches.")
public final class StoreBench implements Callable<Integer> {
  @Option(
      names = "--transport",
      description = "grpc, netty or both (side by side). Default: ${DEFAULT-VALUE}")
  String transport = "grpc";

  @Option(
      names = "--via",
      description = "member that proposes: follower or leader. Default: ${DEFAULT-VALUE}")
  String via = "follower";

  @Option(
      names = "--warmup",
      description =
          "minimum JIT warm-up before measuring, seconds (it goes on until the"
              + " JIT settles, at most 3x this). Default: ${DEFAULT-VALUE}")
  int warmupSeconds = 20;

  @Option(
      names = "--runs",
      description = "repetitions of every scenario. Default: ${DEFAULT-VALUE}")
  int runs = 3;

  @Option(
      names = "--duration",
      description = "seconds per scenario and run. Default: ${DEFAULT-VALUE}")
  int durationSeconds = 10;

  @Option(
      names = "--rates",
      split = ",",
      description = "offered rates, deltas/s. Default: ${DEFAULT-VALUE}")
  List<Integer> rates = List.of(1_000, 10_000);

  @Option(
      names = "--max-in-flight",
      description =
          "fixed-rate runs: proposals outstanding before deltas wait and"
              + " batch up. Default: ${DEFAULT-VALUE}")
  int latencyInFlight = 4;

  @Option(
      names = "--in-flight",
      description = "sustained run: batches in flight. Default: ${DEFAULT-VALUE}")
  int inFlight = 32;

  @Option(
      names = "--batch",
      description =
          "sustained run (and fixed-rate maximum): deltas per batch."
              + " Default: ${DEFAULT-VALUE}")
  int batch = 64;

  @Option(names = "--key-size", description = "bytes. Default: ${DEFAULT-VALUE}")
  int keySize = 16;

  @Option(names = "--value-size", description = "bytes. Default: ${DEFAULT-VALUE}")
  int valueSize = 32;

  @Option(
      names = "--keys",
      description = "distinct keys written (cycled). Default: ${DEFAULT-VALUE}")
  int keys = 100_000;

  @Option(
      names = "--dir",
      description = "where the members' temporary directories go. Default: the system temp dir")
  Path dir;

  @Option(
      names = "--json",
      description = "write the JSON report to this file (default: print it after the table)")
  Path jsonFile;

  @Option(
      names = "--profile",
      description =
          "record a JFR CPU profile of the measured phase (after warm-up) to this"
              + " file; read it with 'jfr print --events jdk.ExecutionSample FILE' or JDK Mission Control")
  Path profileFile;

  @Option(names = "--set", description = "a store setting for the members, key=value (repeatable)")
  Map<String, String> settings = new LinkedHashMap<>();

  private final PrintStream out = System.out;
  private final PrintStream progress = System.err;

  public static void main(String[] args) {
    System.exit(new CommandLine(new StoreBench()).execute(args));
  }

  @Override
  public Integer call() throws Exception {
    List<Transport> transports =
        "both".equalsIgnoreCase(transport)
            ? List.of(Transport.GRPC, Transport.NETTY)
            : List.of(Transport.parse(transport));
    StoreBenchReport report = new StoreBenchReport();
    describeSetup(report, transports);
    report.setup("loadavg_before", loadAverage());
    if (busy()) {
      progress.println(
          "WARNING: other processes keep the CPUs busy (load "
              + loadAverage()
              + "); figures will be"
              + " worse than this machine can do");
    }
    for (Transport t : transports) {
      measure(t, report);
    }
    report.setup("loadavg_after", loadAverage());
    out.println();
    out.print(report.table());
    if (jsonFile != null) {
      Files.writeString(jsonFile, report.json());
      out.println("JSON report: " + jsonFile.toAbsolutePath());
    } else {
      out.println();
      out.print(report.json());
    }
    return 0;
  }

  /** The 1, 5 and 15 minute load averages (Linux), or "unknown". */
  static String loadAverage() {
    try {
      String[] f = Files.readString(Path.of("/proc/loadavg")).trim().split("\\s+");
      return f[0] + " " + f[1] + " " + f[2];
    } catch (java.io.IOException | RuntimeException e) {
      return "unknown";
    }
  }

  private static boolean busy() {
    try {
      return Double.parseDouble(loadAverage().split(" ")[0])
          > Runtime.getRuntime().availableProcessors() * 0.5;
    } catch (NumberFormatException e) {
      return false;
    }
  }

  private void describeSetup(StoreBenchReport report, List<Transport> transports) {
    report.setup("date", Instant.now().toString());
    report.setup("java", System.getProperty("java.vm.name") + " " + Runtime.version());
    report.setup("os", System.getProperty("os.name") + " " + System.getProperty("os.version"));
    report.setup("cpus", Runtime.getRuntime().availableProcessors());
    report.setup("members", "3 voters in one JVM, loopback, fsync on");
    report.setup("transports", transports.toString());
    report.setup("proposer", via);
    report.setup("warmup_s", warmupSeconds);
    report.setup("runs", runs);
    report.setup("duration_s", durationSeconds);
    report.setup("rates", rates.toString());
    report.setup("fixed_rate_max_in_flight", latencyInFlight);
    report.setup("sustained", inFlight + " in flight x " + batch + " deltas");
    report.setup("delta", keySize + " B key + " + valueSize + " B value, " + keys + " keys");
    report.setup("settings", settings.toString());
  }

  private void measure(Transport t, StoreBenchReport report) throws Exception {
    Path base =
        Files.createTempDirectory(
            dir == null ? Path.of(System.getProperty("java.io.tmpdir")) : dir, "mapsync-bench-");
    try (LocalCluster cluster = LocalCluster.start(base, 3, 0, t, settings)) {
      RatisNode leader = cluster.leader(Duration.ofSeconds(30));
      RatisNode proposer = "leader".equalsIgnoreCase(via) ? leader : cluster.others(leader).get(0);
      RatisNode observer =
          cluster.others(leader).stream().filter(n -> n != proposer).findFirst().orElseThrow();
      AtomicInteger leaderChanges = new AtomicInteger();
      cluster
          .running()
          .values()
          .forEach(n -> n.onLeadershipChange(is -> leaderChanges.incrementAndGet()));
      DeltaSource source = new DeltaSource(keySize, valueSize, keys);
      StateStore store = proposer.store();
      store.registerMap(source.spec()).get(30, TimeUnit.SECONDS);
      progress.printf(
          Locale.ROOT,
          "[%s] leader %s, proposing via %s, observing apply on %s%n",
          t,
          leader.config().nodeId(),
          proposer.config().nodeId(),
          observer.config().nodeId());
      FixedRateLoad fixed = new FixedRateLoad(store, source, latencyInFlight, batch);
      SaturatingLoad saturating = new SaturatingLoad(store, source, inFlight, batch);
      try (ApplyProbe probe = new ApplyProbe(observer, DeltaSource.MAP)) {
        warmUp(t, fixed, saturating);
        jdk.jfr.Recording recording = startProfile();
        for (int run = 1; run <= runs; run++) {
          for (int rate : rates) {
            Latencies apply = new Latencies();
            probe.recordInto(apply);
            long cpu = processCpuNanos();
            FixedRateLoad.Result r = fixed.run(rate, Duration.ofSeconds(durationSeconds));
            cpu = processCpuNanos() - cpu;
            probe.recordInto(null);
            add(
                report,
                t,
                String.format(Locale.ROOT, "fixed %dk/s", rate / 1000),
                r.commit(),
                apply,
                r.committedPerSec(),
                r.meanBatch(),
                r.errors(),
                cpu);
          }
          Latencies apply = new Latencies();
          probe.recordInto(apply);
          long cpu = processCpuNanos();
          SaturatingLoad.Result r = saturating.run(Duration.ofSeconds(durationSeconds));
          cpu = processCpuNanos() - cpu;
          probe.recordInto(null);
          add(report, t, "sustained", r.commit(), apply, r.deltasPerSec(), batch, r.errors(), cpu);
          progress.printf(Locale.ROOT, "[%s] run %d/%d done%n", t, run, runs);
        }
        stopProfile(recording, t);
      }
      report.setup("leader_changes_" + t, leaderChanges.get());
    } finally {
      LocalCluster.deleteTree(base);
    }
  }

  /**
   * Runs both loads unrecorded for at least {@code --warmup} seconds and then until the JIT has
   * settled (compilation takes under 2% of a round), at most three times as long: cold JVMs measure
   * 30-50% worse, and on a busy machine compilation takes longer.
   */
  private void warmUp(Transport t, FixedRateLoad fixed, SaturatingLoad saturating)
      throws InterruptedException {
    progress.printf(Locale.ROOT, "[%s] warming up for at least %d s%n", t, warmupSeconds);
    java.lang.management.CompilationMXBean jit =
        java.lang.management.ManagementFactory.getCompilationMXBean();
    long start = System.nanoTime();
    long min = start + TimeUnit.SECONDS.toNanos(warmupSeconds);
    long max = start + TimeUnit.SECONDS.toNanos(3L * warmupSeconds);
    List<String> rounds = new ArrayList<>();
    while (true) {
      long compiledBefore = jit.getTotalCompilationTime();
      long roundStart = System.nanoTime();
      double rate = saturating.run(Duration.ofSeconds(3)).deltasPerSec();
      fixed.run(rates.get(rates.size() - 1), Duration.ofSeconds(2));
      double compileShare =
          (jit.getTotalCompilationTime() - compiledBefore) * 1e6 / (System.nanoTime() - roundStart);
      rounds.add(String.format(Locale.ROOT, "%.0f/s jit %.0f%%", rate, compileShare * 100));
      long now = System.nanoTime();
      if (now > max || now > min && compileShare < 0.02) {
        break;
      }
    }
    progress.printf(
        Locale.ROOT, "[%s] warm-up rounds (sustained rate, JIT share): %s%n", t, rounds);
  }

  private jdk.jfr.Recording startProfile() throws java.io.IOException, java.text.ParseException {
    if (profileFile == null) {
      return null;
    }
    jdk.jfr.Recording r = new jdk.jfr.Recording(jdk.jfr.Configuration.getConfiguration("profile"));
    r.start();
    return r;
  }

  private void stopProfile(jdk.jfr.Recording r, Transport t) throws java.io.IOException {
    if (r == null) {
      return;
    }
    Path file = profileFile.resolveSibling(t + "-" + profileFile.getFileName());
    r.stop();
    r.dump(file);
    r.close();
    progress.println("[" + t + "] profile of the measured phase: " + file.toAbsolutePath());
  }

  /** CPU time this process used so far (all threads, all three members). */
  private static long processCpuNanos() {
    java.lang.management.OperatingSystemMXBean os =
        java.lang.management.ManagementFactory.getOperatingSystemMXBean();
    return os instanceof com.sun.management.OperatingSystemMXBean sun
        ? sun.getProcessCpuTime()
        : -1;
  }

  private void add(
      StoreBenchReport report,
      Transport t,
      String scenario,
      Latencies commit,
      Latencies apply,
      double perSec,
      double meanBatch,
      long errors,
      long cpuNanos) {
    Map<String, Double> f = new LinkedHashMap<>();
    f.put("committed_per_s", perSec);
    // CPU per delta for the whole cluster (three members): what bounds throughput on this machine,
    // and a figure that other processes competing for the CPUs do not distort much.
    f.put(
        "cpu_us_per_delta",
        cpuNanos < 0 || perSec <= 0 ? Double.NaN : cpuNanos / 1e3 / (perSec * durationSeconds));
    f.put("commit_p50_ms", commit.percentileMillis(50));
    f.put("commit_p99_ms", commit.percentileMillis(99));
    f.put("apply_p50_ms", apply.percentileMillis(50));
    f.put("apply_p99_ms", apply.percentileMillis(99));
    f.put("mean_batch", meanBatch);
    f.put("errors", (double) errors);
    report.add(new StoreBenchReport.Sample(t.toString(), scenario, f));
    progress.printf(
        Locale.ROOT,
        "[%s] %-10s %9.0f deltas/s  commit p50 %.3f p99 %.3f ms  apply p50 %.3f p99 %.3f ms"
            + "  batch %.1f  cpu %.1f us/delta  errors %d%n",
        t,
        scenario,
        perSec,
        f.get("commit_p50_ms"),
        f.get("commit_p99_ms"),
        f.get("apply_p50_ms"),
        f.get("apply_p99_ms"),
        meanBatch,
        f.get("cpu_us_per_delta"),
        errors);
  }
}
