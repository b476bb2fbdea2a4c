package io.mapsync.bench.sync;

import io.mapsync.bpf.BpfMap;
import io.mapsync.lab.AgentProcesses;
import io.mapsync.lab.ClusterLeader;
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
import java.util.concurrent.locks.LockSupport;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code mapsync bench fanout}: three voters and N listener processes with small heaps; bpf()
 * writes at a fixed rate into the leader's map; the arrival in every other agent's map is timed in
 * the kernel. Per N: per-agent lag p50/p99, and the leader's CPU and TCP bytes sent per second.
 */
@Command(
    name = "fanout",
    mixinStandardHelpOptions = true,
    description =
        "Leader fan-out: lag to every listener and the leader's CPU and bytes/s as listeners grow.")
public final class FanoutBenchCommand implements Callable<Integer> {
  /** The heap and JIT of each listener: a host's agent should be small next to its datapath. */
  public static final List<String> SMALL_JVM =
      List.of(
          "-Xmx64m",
          "-Xss256k",
          "-XX:+UseSerialGC",
          "-XX:TieredStopAtLevel=1",
          "-XX:CICompilerCount=1",
          "-XX:ReservedCodeCacheSize=48m");

  static final List<String> VOTER_JVM = List.of("-Xmx512m");
  private static final int SLOTS = 65_536;

  @Option(
      names = "--listeners",
      split = ",",
      defaultValue = "1,5,10,20,50",
      description = "listener counts tried")
  List<Integer> listenerCounts;

  @Option(names = "--rate", defaultValue = "1000", description = "writes/s into the leader's map")
  int rate;

  @Option(
      names = "--duration",
      defaultValue = "10",
      description = "seconds measured per listener count")
  int durationSeconds;

  @Option(
      names = "--warmup",
      defaultValue = "20",
      description = "seconds of the same load before measuring")
  int warmupSeconds;

  @Option(names = "--json", description = "also write the JSON report to this file")
  Path json;

  /** One listener count's figures: lags in ms, CPU in cores, bytes per second. */
  record Result(
      int listeners,
      double p50Median,
      double p99Median,
      double p99Worst,
      double p99All,
      long late,
      double leaderCpu,
      double leaderBytesPerSecond) {}

  @Override
  public Integer call() throws Exception {
    List<Result> results = new ArrayList<>();
    for (int n : listenerCounts) {
      results.add(measure(n));
      System.err.println(row(results.get(results.size() - 1)));
    }
    System.out.println(table(results));
    String report = json(results);
    System.out.println(report);
    if (json != null) {
      Files.writeString(json, report);
    }
    return 0;
  }

  private Result measure(int listeners) throws Exception {
    try (AgentProcesses agents =
        new AgentProcesses(3, "bench:hash:8:8:" + SLOTS, "/sys/fs/bpf/mapsync-fanout", List.of())
            .withListeners(listeners)
            .jvmOptions(VOTER_JVM, SMALL_JVM)) {
      agents.start(false);
      String leader = ClusterLeader.of(agents.clients(), agents::alive, Duration.ofSeconds(60));
      Map<String, BpfMap> targets = new LinkedHashMap<>();
      int capacity = rate * (warmupSeconds + durationSeconds) + rate;
      try (BpfMap source = BpfMap.openPinned(agents.pin(leader))) {
        for (String id : agents.ids()) {
          if (!id.equals(leader)) {
            targets.put(id, BpfMap.openPinned(agents.pin(id)));
          }
        }
        try (FanoutProbe probe = new FanoutProbe(targets, capacity)) {
          PacedWriter writer = new PacedWriter(source, SLOTS);
          PacedWriter.Phase warm = writer.run(rate, Duration.ofSeconds(warmupSeconds));
          awaitAll(probe, targets.keySet(), warm.lastSeq(), Duration.ofSeconds(60));
          long pid = agents.pid(leader);
          double cpu0 = ProcessCost.cpuSeconds(pid);
          Map<String, Long> bytes0 = ProcessCost.tcpBytesSent(pid);
          long t0 = System.nanoTime();
          PacedWriter.Phase phase = writer.run(rate, Duration.ofSeconds(durationSeconds));
          double seconds = (System.nanoTime() - t0) / 1e9;
          double cpu = (ProcessCost.cpuSeconds(pid) - cpu0) / seconds;
          double bytesPerSecond =
              ProcessCost.sentBetween(bytes0, ProcessCost.tcpBytesSent(pid)) / seconds;
          awaitAll(probe, targets.keySet(), phase.lastSeq(), Duration.ofSeconds(10));
          return lags(listeners, probe, targets.keySet(), phase, cpu, bytesPerSecond);
        }
      } finally {
        targets.values().forEach(BpfMap::close);
      }
    }
  }

  /** Every agent applies in log order, so the last write arriving means all of them did. */
  private static void awaitAll(
      FanoutProbe probe, Iterable<String> agents, long lastSeq, Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    for (String a : agents) {
      while (probe.visibleAt(a, lastSeq) == 0 && System.nanoTime() < deadline) {
        LockSupport.parkNanos(1_000_000);
      }
    }
  }

  private static Result lags(
      int listeners,
      FanoutProbe probe,
      java.util.Set<String> agents,
      PacedWriter.Phase phase,
      double cpu,
      double bytesPerSecond) {
    List<Double> p50s = new ArrayList<>();
    List<Double> p99s = new ArrayList<>();
    List<Long> all = new ArrayList<>();
    long late = 0;
    for (String a : agents) {
      long[] lat = new long[phase.scheduledNs().length];
      int n = 0;
      for (int i = 0; i < lat.length; i++) {
        long seen = probe.visibleAt(a, phase.firstSeq() + i);
        if (seen == 0) {
          late++;
        } else {
          lat[n++] = Math.max(0, seen - phase.scheduledNs()[i]);
        }
      }
      long[] sorted = Arrays.copyOf(lat, n);
      Arrays.sort(sorted);
      p50s.add(ms(percentile(sorted, 0.5)));
      p99s.add(ms(percentile(sorted, 0.99)));
      for (long l : sorted) {
        all.add(l);
      }
    }
    long[] pooled = all.stream().mapToLong(Long::longValue).sorted().toArray();
    return new Result(
        listeners,
        median(p50s),
        median(p99s),
        p99s.stream().mapToDouble(d -> d).max().orElse(Double.NaN),
        ms(percentile(pooled, 0.99)),
        late,
        cpu,
        bytesPerSecond);
  }

  private static double percentile(long[] sorted, double p) {
    return sorted.length == 0
        ? Double.NaN
        : sorted[Math.min(sorted.length - 1, (int) Math.floor(p * sorted.length))];
  }

  private static double ms(double ns) {
    return ns / 1e6;
  }

  private static double median(List<Double> xs) {
    return SyncBenchCommand.median(xs.stream().mapToDouble(d -> d).toArray());
  }

  static String table(List<Result> results) {
    StringBuilder sb =
        new StringBuilder(
            String.format(
                Locale.ROOT,
                "%-10s %12s %12s %12s %12s %8s %10s %14s%n",
                "listeners",
                "p50 med ms",
                "p99 med ms",
                "p99 worst ms",
                "p99 all ms",
                "late",
                "leader CPU",
                "leader KB/s out"));
    results.forEach(r -> sb.append(row(r)).append('\n'));
    return sb.toString();
  }

  private static String row(Result r) {
    return String.format(
        Locale.ROOT,
        "%-10d %12.2f %12.2f %12.2f %12.2f %8d %10.2f %14.1f",
        r.listeners(),
        r.p50Median(),
        r.p99Median(),
        r.p99Worst(),
        r.p99All(),
        r.late(),
        r.leaderCpu(),
        r.leaderBytesPerSecond() / 1024);
  }

  private String json(List<Result> results) {
    StringBuilder sb =
        new StringBuilder(
            "{\"bench\":\"fanout\",\"rate\":"
                + rate
                + ",\"duration_s\":"
                + durationSeconds
                + ",\"voters\":3,\"results\":[");
    for (int i = 0; i < results.size(); i++) {
      Result r = results.get(i);
      sb.append(i == 0 ? "" : ",")
          .append(
              String.format(
                  Locale.ROOT,
                  "{\"listeners\":%d,\"lag_p50_ms_median_agent\":%.3f,\"lag_p99_ms_median_agent\":%.3f,"
                      + "\"lag_p99_ms_worst_agent\":%.3f,\"lag_p99_ms_all\":%.3f,\"late\":%d,\"leader_cpu_cores\":%.3f,"
                      + "\"leader_tcp_bytes_per_s\":%.0f}",
                  r.listeners(),
                  r.p50Median(),
                  r.p99Median(),
                  r.p99Worst(),
                  r.p99All(),
                  r.late(),
                  r.leaderCpu(),
                  r.leaderBytesPerSecond()));
    }
    return sb.append("]}").toString();
  }
}
