package io.mapsync.bench.sync;

import io.mapsync.lab.AgentProcesses;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code mapsync bench sync}: three real agent processes, bpf() writes into A's map, arrival in B's
 * map seen by the kernel. Reports propagation p50/p99 at fixed rates, a burst of 30, and the
 * highest rate all replicas keep up with, as medians over repeated runs, per backend side by side.
 */
@Command(
    name = "sync",
    mixinStandardHelpOptions = true,
    description =
        "End-to-end propagation: bpf() write into agent A's map until visible in B's map.")
public final class SyncBenchCommand implements Callable<Integer> {
  /** The thesis's figures (2018, etcd, Gigabit LAN), quoted for comparison. */
  static final double THESIS_CHANGE_MS = 96;

  static final double THESIS_BURST30_MS = 97;
  private static final int WARMUP_RATE = 1000;

  @Option(names = "--runs", defaultValue = "3", description = "repeated runs; medians are reported")
  int runs;

  @Option(names = "--duration", defaultValue = "10", description = "seconds per fixed-rate phase")
  int durationSeconds;

  @Option(
      names = "--warmup",
      defaultValue = "20",
      description = "seconds of warm-up load before measuring")
  int warmupSeconds;

  @Option(
      names = "--max-warmup",
      defaultValue = "180",
      description =
          "warm-up goes on past --warmup while the agents' JIT is busy, up to this many seconds")
  int maxWarmupSeconds;

  @Option(
      names = "--rates",
      split = ",",
      defaultValue = "1000,10000",
      description = "fixed offered rates (writes/s)")
  List<Integer> rates;

  @Option(
      names = "--max-rates",
      split = ",",
      defaultValue = "2000,5000,10000,20000,40000,60000,80000,100000",
      description = "rates tried, in order, for the highest sustained rate")
  List<Integer> maxRates;

  @Option(
      names = "--backends",
      split = ",",
      defaultValue = "ratis",
      description = "ratis, and etcd (a local 3-member etcd cluster started for the run)")
  List<String> backends;

  @Option(names = "--json", description = "also write the JSON report to this file")
  Path json;

  @Option(
      names = "--timeline",
      paramLabel = "RATExSECONDS,...",
      description =
          "instead: a fresh cluster without warm-up under this load profile (e.g. 2000x60,1000x20),"
              + " p50/p90/p99 per second")
  String timeline;

  @Override
  public Integer call() throws Exception {
    if (timeline != null) {
      return TimelineRuns.run(SyncTimeline.Phase.parse(timeline), backends, runs, json);
    }
    // Runs alternate between backends (ratis run 1, etcd run 1, ratis run 2, ...), each on a fresh
    // cluster, so a noisy minute on a shared machine hurts both sides alike.
    Map<String, List<RunResult>> results = new LinkedHashMap<>();
    for (int run = 1; run <= runs; run++) {
      for (String backend : backends) {
        results.computeIfAbsent(backend, k -> new ArrayList<>()).add(measureRun(backend, run));
      }
    }
    Map<String, BackendReport> reports = new LinkedHashMap<>();
    results.forEach((backend, list) -> reports.put(backend, BackendReport.medianOf(list)));
    String report = Reports.json(reports, runs, durationSeconds);
    System.out.println(Reports.table(reports));
    System.out.println(report);
    if (json != null) {
      Files.writeString(json, report);
    }
    return 0;
  }

  /**
   * One run on one backend: p50/p99 and losses per fixed rate, a burst of 30, the highest sustained
   * rate.
   */
  record RunResult(
      Map<Integer, double[]> rateP50P99,
      Map<Integer, Long> rateLost,
      double burst30Ms,
      int maxSustained) {}

  /** Medians over runs for one backend (losses summed). */
  record BackendReport(
      Map<Integer, double[]> rateP50P99,
      Map<Integer, Long> rateLost,
      double burst30Ms,
      int maxSustained) {
    static BackendReport medianOf(List<RunResult> runs) {
      Map<Integer, double[]> rates = new LinkedHashMap<>();
      Map<Integer, Long> lost = new LinkedHashMap<>();
      for (int rate : runs.get(0).rateP50P99().keySet()) {
        rates.put(
            rate,
            new double[] {
              median(runs.stream().mapToDouble(r -> r.rateP50P99().get(rate)[0]).toArray()),
              median(runs.stream().mapToDouble(r -> r.rateP50P99().get(rate)[1]).toArray())
            });
        lost.put(rate, runs.stream().mapToLong(r -> r.rateLost().get(rate)).sum());
      }
      return new BackendReport(
          rates,
          lost,
          median(runs.stream().mapToDouble(RunResult::burst30Ms).toArray()),
          (int) median(runs.stream().mapToDouble(RunResult::maxSustained).toArray()));
    }
  }

  private RunResult measureRun(String backend, int run) throws Exception {
    return BenchCluster.with(
        backend,
        (bench, agents) -> {
          warmUp(bench, agents, backend, run);
          Map<Integer, double[]> perRate = new LinkedHashMap<>();
          Map<Integer, Long> lost = new LinkedHashMap<>();
          for (int rate : rates) {
            double[] cpuBefore = cpuSeconds(agents);
            long phaseStart = System.nanoTime();
            SyncBench.RateResult r =
                bench.fixedRate(rate, Duration.ofSeconds(durationSeconds), Duration.ofSeconds(10));
            double phaseSeconds = (System.nanoTime() - phaseStart) / 1e9;
            double[] cpuAfter = cpuSeconds(agents);
            perRate.put(rate, new double[] {r.percentile(0.5), r.percentile(0.99)});
            lost.put(rate, r.lost());
            System.err.printf(
                "[%s] run %d: %d/s p50 %.0f us p99 %.0f us, %d not there 10 s after the phase%n",
                backend, run, rate, r.percentile(0.5), r.percentile(0.99), r.lost());
            System.err.printf(
                "[%s] run %d: %d/s agents' CPU %s%n",
                backend,
                run,
                rate,
                agentCpu(cpuBefore, cpuAfter, phaseSeconds, (long) rate * durationSeconds));
            bench.drain(Duration.ofSeconds(60));
          }
          List<Long> runBursts = new ArrayList<>();
          for (int i = 0; i < 21; i++) {
            runBursts.add(bench.burst(30, Duration.ofSeconds(5)));
            Thread.sleep(50);
          }
          bench.drain(Duration.ofSeconds(60));
          double burst =
              median(
                  runBursts.stream().mapToDouble(x -> x < 0 ? Double.NaN : x / 1000.0).toArray());
          int max = 0;
          for (int rate : maxRates) {
            if (!bench.sustains(rate, Duration.ofSeconds(3))) {
              break;
            }
            max = rate;
          }
          System.err.printf(
              "[%s] run %d: burst of 30 %.2f ms, sustained %d/s%n", backend, run, burst, max);
          return new RunResult(perRate, lost, burst, max);
        });
  }

  /**
   * Load at 1k writes/s for --warmup seconds, then on in 5 s steps while the agents' JIT compilers
   * still use more than a tenth of a CPU, at most --max-warmup seconds in all. The rate is one
   * every backend keeps up with, and each step waits until its writes arrived, so the measured
   * phases do not inherit a backlog.
   */
  private void warmUp(SyncBench bench, AgentProcesses agents, String backend, int run) {
    long started = System.nanoTime();
    bench.fixedRate(WARMUP_RATE, Duration.ofSeconds(warmupSeconds), Duration.ofSeconds(60));
    double jitShare = Double.NaN;
    while ((System.nanoTime() - started) / 1e9 < maxWarmupSeconds) {
      double jitBefore = JitClock.seconds(agents.pids());
      long stepStart = System.nanoTime();
      bench.fixedRate(WARMUP_RATE, Duration.ofSeconds(5), Duration.ofSeconds(60));
      jitShare =
          (JitClock.seconds(agents.pids()) - jitBefore) / ((System.nanoTime() - stepStart) / 1e9);
      if (jitShare < 0.1) {
        break;
      }
    }
    System.err.printf(
        Locale.ROOT,
        "[%s] run %d: warmed up for %.0f s; the agents' JIT used %.0f%% of a CPU in the"
            + " last step%n",
        backend,
        run,
        (System.nanoTime() - started) / 1e9,
        100 * jitShare);
  }

  private static double[] cpuSeconds(AgentProcesses agents) {
    return agents.pids().stream().mapToDouble(ProcessCost::cpuSeconds).toArray();
  }

  /**
   * Each agent's CPU over a phase, in cores and in microseconds per change offered (a phase's wall
   * time includes the wait for its last writes, so cores are a little under the rate's own).
   */
  static String agentCpu(double[] before, double[] after, double seconds, long changes) {
    StringBuilder out = new StringBuilder();
    for (int i = 0; i < before.length; i++) {
      double used = after[i] - before[i];
      out.append(i == 0 ? "" : ", ")
          .append((char) ('A' + i))
          .append(
              String.format(
                  Locale.ROOT, " %.2f core %.0f us/change", used / seconds, used * 1e6 / changes));
    }
    return out.toString();
  }

  static double median(double[] xs) {
    double[] s = Arrays.stream(xs).filter(x -> !Double.isNaN(x)).sorted().toArray();
    return s.length == 0
        ? Double.NaN
        : s.length % 2 == 1 ? s[s.length / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
  }

  static String fmt(double v) {
    return String.format(Locale.ROOT, "%.2f", v);
  }
}
