package io.mapsync.bench.capture;

import java.io.PrintWriter;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code mapsync bench capture}: the capture tiers' costs against their targets, as JSON and a
 * table.
 */
@Command(
    name = "capture",
    mixinStandardHelpOptions = true,
    description =
        "Measure capture: added cost per bpf() update, syscall-to-callback latency, lossless events/s, scan cost.")
public final class CaptureBenchCommand implements Callable<Integer> {
  @Option(
      names = "--runs",
      defaultValue = "5",
      description = "Repetitions; medians are reported (default: ${DEFAULT-VALUE}).")
  int runs;

  @Option(
      names = "--updates",
      defaultValue = "300000",
      description = "Updates per run of the cost benchmark (default: ${DEFAULT-VALUE}).")
  int updates;

  @Option(
      names = "--scan-entries",
      defaultValue = "1000000",
      description = "Entries of the scanned map (default: ${DEFAULT-VALUE}).")
  int scanEntries;

  @Option(
      names = "--throughput-seconds",
      defaultValue = "1",
      description = "Length of each throughput run (default: ${DEFAULT-VALUE}).")
  double throughputSeconds;

  @Option(
      names = "--ring-size",
      defaultValue = "67108864",
      description = "Ring buffer bytes for the throughput runs (default: ${DEFAULT-VALUE}).")
  int ringSize;

  @Option(names = "--quick", description = "Small sizes, for a smoke test.")
  boolean quick;

  @Option(
      names = "--only",
      split = ",",
      description = "Run only these parts: update, latency, throughput, scan (default: all).")
  java.util.Set<String> only = java.util.Set.of("update", "latency", "throughput", "scan");

  @Spec CommandSpec spec;

  @Override
  public Integer call() {
    if (quick) {
      runs = 1;
      updates = 20_000;
      scanEntries = 20_000;
      throughputSeconds = 0.2;
    }
    PrintWriter out = spec.commandLine().getOut();
    UpdateCostBench.Result cost =
        only.contains("update")
            ? UpdateCostBench.run(updates, runs)
            : new UpdateCostBench.Result(0, 0, 0, 0, 0, 0, 0, 0);
    LatencyBench.Result steady =
        only.contains("latency")
            ? LatencyBench.run(10_000, quick ? 2_000 : 30_000)
            : new LatencyBench.Result(0, 0, 0, 0, 0);
    LatencyBench.Result idle =
        only.contains("latency")
            ? LatencyBench.run(200, quick ? 50 : 500)
            : new LatencyBench.Result(0, 0, 0, 0, 0);
    ThroughputBench.Result tput =
        only.contains("throughput")
            ? ThroughputBench.run(throughputSeconds, ringSize)
            : new ThroughputBench.Result(0, java.util.List.of());
    ScanCostBench.Result scan =
        only.contains("scan")
            ? ScanCostBench.run(scanEntries, 8, 16, runs)
            : new ScanCostBench.Result(1, 8, 16, 0, 0, 0, 0);
    double scanPerMillion = scan.scanSeconds() * 1_000_000 / scan.entries();
    double dumpPerMillion = scan.dumpSeconds() * 1_000_000 / scan.entries();

    out.println(json(cost, steady, idle, tput, scan));
    out.println();
    out.printf(
        Locale.ROOT,
        "%-48s %14s %14s%n",
        "measure (median of " + runs + " runs)",
        "result",
        "target");
    row(out, "bpf() update, no probe", cost.bareNs() / 1e3, "us", "~1.4 us ref");
    row(out, "bpf() update, probe on, map not watched", cost.unwatchedNs() / 1e3, "us", "");
    row(out, "bpf() update, captured and delivered", cost.capturedNs() / 1e3, "us", "");
    row(out, "added wall time per captured update", cost.addedNs() / 1e3, "us", "<= 1 us");
    row(out, "bpf() update CPU time, no probe", cost.bareCpuNs() / 1e3, "us", "");
    row(out, "bpf() update CPU time, captured", cost.capturedCpuNs() / 1e3, "us", "");
    row(out, "added CPU time per captured update", cost.addedCpuNs() / 1e3, "us", "<= 1 us");
    row(out, "probe programs' own run time per update", cost.probeNsPerUpdate() / 1e3, "us", "");
    row(out, "latency p50 at 10k updates/s", steady.p50Us(), "us", "<= 10 us");
    row(out, "latency p99 at 10k updates/s", steady.p99Us(), "us", "");
    row(out, "latency p50 at 200 updates/s (reader asleep)", idle.p50Us(), "us", "");
    row(out, "latency p99 at 200 updates/s (reader asleep)", idle.p99Us(), "us", "");
    row(
        out,
        "max captured events/s without loss",
        tput.maxLosslessPerSec() / 1e3,
        "k/s",
        ">= 500 k/s");
    double perMillion = 1_000_000.0 / scan.entries();
    row(out, "lookup_batch dump per 1M entries, wall", dumpPerMillion, "s", "0.33 s ref");
    row(out, "lookup_batch dump per 1M entries, CPU", scan.dumpCpuSeconds() * perMillion, "s", "");
    row(out, "scan (dump + diff) per 1M entries, wall", scanPerMillion, "s", "<= 0.5 s");
    row(
        out,
        "scan (dump + diff) per 1M entries, CPU",
        scan.scanCpuSeconds() * perMillion,
        "s",
        "<= 0.5 s");
    out.flush();
    return cost.delivered() == cost.expected()
        ? 0
        : 1; // a capture benchmark that lost updates is a failure
  }

  private static void row(PrintWriter out, String what, double value, String unit, String target) {
    out.printf(Locale.ROOT, "%-48s %10.3f %-3s %14s%n", what, value, unit, target);
  }

  private String json(
      UpdateCostBench.Result cost,
      LatencyBench.Result steady,
      LatencyBench.Result idle,
      ThroughputBench.Result tput,
      ScanCostBench.Result scan) {
    StringBuilder runsJson = new StringBuilder("[");
    for (ThroughputBench.Run r : tput.runs()) {
      runsJson
          .append(runsJson.length() > 1 ? "," : "")
          .append(
              String.format(
                  Locale.ROOT,
                  "{\"target_per_s\":%.0f,\"produced\":%d,\"captured\":%d,\"dropped\":%d,\"produced_per_s\":%.0f,\"captured_per_s\":%.0f,\"lossless\":%b}",
                  r.targetPerSec(),
                  r.produced(),
                  r.captured(),
                  r.dropped(),
                  r.producedPerSec(),
                  r.capturedPerSec(),
                  r.lossless()));
    }
    runsJson.append(']');
    return String.format(
        Locale.ROOT,
        "{\"benchmark\":\"capture\",\"runs\":%d,\"cpus\":%d,\"kernel\":\"%s\","
            + "\"update_cost_ns\":{\"bare\":%.1f,\"probe_unwatched\":%.1f,\"captured\":%.1f,\"added\":%.1f,\"bare_cpu\":%.1f,\"captured_cpu\":%.1f,\"added_cpu\":%.1f,\"probe_run_time\":%.1f,\"updates_per_run\":%d,\"delivered\":%d,\"expected\":%d},"
            + "\"latency_us\":{\"steady\":{\"rate_per_s\":%.0f,\"samples\":%d,\"p50\":%.2f,\"p99\":%.2f,\"max\":%.1f},"
            + "\"idle\":{\"rate_per_s\":%.0f,\"samples\":%d,\"p50\":%.2f,\"p99\":%.2f,\"max\":%.1f}},"
            + "\"throughput\":{\"max_lossless_per_s\":%.0f,\"runs\":%s},"
            + "\"scan\":{\"entries\":%d,\"key_size\":%d,\"value_size\":%d,\"dump_s\":%.4f,\"scan_s\":%.4f,\"dump_cpu_s\":%.4f,\"scan_cpu_s\":%.4f}}",
        runs,
        Runtime.getRuntime().availableProcessors(),
        System.getProperty("os.version"),
        cost.bareNs(),
        cost.unwatchedNs(),
        cost.capturedNs(),
        cost.addedNs(),
        cost.bareCpuNs(),
        cost.capturedCpuNs(),
        cost.addedCpuNs(),
        cost.probeNsPerUpdate(),
        updates,
        cost.delivered(),
        cost.expected(),
        steady.ratePerSec(),
        steady.samples(),
        steady.p50Us(),
        steady.p99Us(),
        steady.maxUs(),
        idle.ratePerSec(),
        idle.samples(),
        idle.p50Us(),
        idle.p99Us(),
        idle.maxUs(),
        tput.maxLosslessPerSec(),
        runsJson,
        scan.entries(),
        scan.keySize(),
        scan.valueSize(),
        scan.dumpSeconds(),
        scan.scanSeconds(),
        scan.dumpCpuSeconds(),
        scan.scanCpuSeconds());
  }

  /**
   * Runs the benchmark standalone: {@code java -cp ...
   * io.mapsync.bench.capture.CaptureBenchCommand}.
   */
  public static void main(String[] args) {
    System.exit(new CommandLine(new CaptureBenchCommand()).execute(args));
  }
}
