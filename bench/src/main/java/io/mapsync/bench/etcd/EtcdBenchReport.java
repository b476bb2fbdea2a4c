package io.mapsync.bench.etcd;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.ToDoubleFunction;

/**
 * What a benchmark measured: per offered rate and per batch size, every run and the median of the
 * runs, printable as a table for people and as JSON for tools.
 *
 * @param store what was measured (e.g. "etcd 3-member, http://...")
 * @param options the benchmark's parameters
 * @param rates one entry per offered rate: its runs
 * @param saturation one entry per batch size: its runs
 */
public record EtcdBenchReport(
    String store,
    BenchOptions options,
    List<List<RateRun>> rates,
    List<List<SaturationRun>> saturation) {

  /** One open-loop run at a fixed offered rate. Latencies in milliseconds. */
  public record RateRun(
      int offered,
      double offeredPerSec,
      double achievedPerSec,
      double p50,
      double p90,
      double p99,
      double max,
      double meanBatch,
      long errors) {}

  /** One closed-loop run with full batches. Latencies (per batch) in milliseconds. */
  public record SaturationRun(
      int batchSize,
      int origins,
      double deltasPerSec,
      double batchesPerSec,
      double p50,
      double p99,
      long errors) {}

  private static <T> double med(List<T> runs, ToDoubleFunction<T> f) {
    double[] v = runs.stream().mapToDouble(f).sorted().toArray();
    if (v.length == 0) {
      return Double.NaN;
    }
    return v.length % 2 == 1 ? v[v.length / 2] : (v[v.length / 2 - 1] + v[v.length / 2]) / 2;
  }

  /** A fixed-width table of the medians. */
  public String toTable() {
    StringBuilder out = new StringBuilder();
    out.append("store: ").append(store).append('\n');
    out.append(
        String.format(
            Locale.ROOT,
            "origins=%d map=%s key=%dB value=%dB duration=%ss warmup=%ss repeats=%d"
                + " (medians of the repeats)%n",
            options.origins(),
            options.mapType().name().toLowerCase(Locale.ROOT),
            options.keySize(),
            options.valueSize(),
            options.duration().toSeconds(),
            options.warmup().toSeconds(),
            options.repeats()));
    if (!rates.isEmpty()) {
      out.append(
          String.format(
              Locale.ROOT,
              "%n%-14s %12s %10s %10s %10s %10s %10s %7s%n",
              "offered/s",
              "achieved/s",
              "p50 ms",
              "p90 ms",
              "p99 ms",
              "max ms",
              "batch",
              "errors"));
      for (List<RateRun> runs : rates) {
        out.append(
            String.format(
                Locale.ROOT,
                "%-14d %12.0f %10.2f %10.2f %10.2f %10.2f %10.1f %7.0f%n",
                runs.get(0).offered(),
                med(runs, RateRun::achievedPerSec),
                med(runs, RateRun::p50),
                med(runs, RateRun::p90),
                med(runs, RateRun::p99),
                med(runs, RateRun::max),
                med(runs, RateRun::meanBatch),
                med(runs, r -> r.errors())));
      }
    }
    if (!saturation.isEmpty()) {
      out.append(
          String.format(
              Locale.ROOT,
              "%n%-14s %12s %12s %14s %14s %7s%n",
              "batch size",
              "deltas/s",
              "batches/s",
              "batch p50 ms",
              "batch p99 ms",
              "errors"));
      for (List<SaturationRun> runs : saturation) {
        out.append(
            String.format(
                Locale.ROOT,
                "%-14d %12.0f %12.0f %14.2f %14.2f %7.0f%n",
                runs.get(0).batchSize(),
                med(runs, SaturationRun::deltasPerSec),
                med(runs, SaturationRun::batchesPerSec),
                med(runs, SaturationRun::p50),
                med(runs, SaturationRun::p99),
                med(runs, r -> r.errors())));
      }
    }
    return out.toString();
  }

  /** The whole report as JSON: parameters, medians and every run. */
  public String toJson() {
    StringBuilder j = new StringBuilder("{");
    field(j, "store", quote(store)).append(',');
    j.append("\"options\":{");
    field(j, "origins", options.origins()).append(',');
    field(j, "mapType", quote(options.mapType().name().toLowerCase(Locale.ROOT))).append(',');
    field(j, "keySize", options.keySize()).append(',');
    field(j, "valueSize", options.valueSize()).append(',');
    field(j, "keySpace", options.keySpace()).append(',');
    field(j, "maxBatch", options.maxBatch()).append(',');
    field(j, "durationSeconds", options.duration().toMillis() / 1000.0).append(',');
    field(j, "warmupSeconds", options.warmup().toMillis() / 1000.0).append(',');
    field(j, "repeats", options.repeats()).append("},");
    j.append("\"openLoop\":[");
    List<String> items = new ArrayList<>();
    for (List<RateRun> runs : rates) {
      StringBuilder r = new StringBuilder("{");
      field(r, "offeredPerSec", runs.get(0).offered()).append(",\"median\":{");
      field(r, "achievedPerSec", med(runs, RateRun::achievedPerSec)).append(',');
      field(r, "p50Ms", med(runs, RateRun::p50)).append(',');
      field(r, "p90Ms", med(runs, RateRun::p90)).append(',');
      field(r, "p99Ms", med(runs, RateRun::p99)).append(',');
      field(r, "maxMs", med(runs, RateRun::max)).append(',');
      field(r, "meanBatch", med(runs, RateRun::meanBatch)).append("},\"runs\":[");
      List<String> rs = new ArrayList<>();
      for (RateRun run : runs) {
        StringBuilder x = new StringBuilder("{");
        field(x, "achievedPerSec", run.achievedPerSec()).append(',');
        field(x, "p50Ms", run.p50()).append(',');
        field(x, "p90Ms", run.p90()).append(',');
        field(x, "p99Ms", run.p99()).append(',');
        field(x, "maxMs", run.max()).append(',');
        field(x, "meanBatch", run.meanBatch()).append(',');
        field(x, "errors", run.errors()).append('}');
        rs.add(x.toString());
      }
      r.append(String.join(",", rs)).append("]}");
      items.add(r.toString());
    }
    j.append(String.join(",", items)).append("],\"saturation\":[");
    items.clear();
    for (List<SaturationRun> runs : saturation) {
      StringBuilder r = new StringBuilder("{");
      field(r, "batchSize", runs.get(0).batchSize()).append(",\"median\":{");
      field(r, "deltasPerSec", med(runs, SaturationRun::deltasPerSec)).append(',');
      field(r, "batchesPerSec", med(runs, SaturationRun::batchesPerSec)).append(',');
      field(r, "batchP50Ms", med(runs, SaturationRun::p50)).append(',');
      field(r, "batchP99Ms", med(runs, SaturationRun::p99)).append("},\"runs\":[");
      List<String> rs = new ArrayList<>();
      for (SaturationRun run : runs) {
        StringBuilder x = new StringBuilder("{");
        field(x, "deltasPerSec", run.deltasPerSec()).append(',');
        field(x, "batchP50Ms", run.p50()).append(',');
        field(x, "batchP99Ms", run.p99()).append(',');
        field(x, "errors", run.errors()).append('}');
        rs.add(x.toString());
      }
      r.append(String.join(",", rs)).append("]}");
      items.add(r.toString());
    }
    return j.append(String.join(",", items)).append("]}").toString();
  }

  private static StringBuilder field(StringBuilder j, String name, Object value) {
    String v =
        value instanceof Double d
            ? (d.isNaN() || d.isInfinite() ? "null" : String.format(Locale.ROOT, "%.3f", d))
            : String.valueOf(value);
    return j.append('"').append(name).append("\":").append(v);
  }

  private static String quote(String s) {
    return '"' + s.replace("\\", "\\\\").replace("\"", "\\\"") + '"';
  }
}
