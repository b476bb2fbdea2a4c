package io.mapsync.bench.store;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The results of a store benchmark: per transport and scenario, the median over runs of each
 * figure, printed as JSON and as a table.
 */
final class StoreBenchReport {
  /** One scenario's figures from one run, by name (e.g. "commit_p50_ms"). */
  record Sample(String transport, String scenario, Map<String, Double> figures) {}

  private final Map<String, Object> setup = new LinkedHashMap<>();
  private final List<Sample> samples = new ArrayList<>();

  void setup(String key, Object value) {
    setup.put(key, value);
  }

  synchronized void add(Sample s) {
    samples.add(s);
  }

  /** Scenario key (transport + scenario) to figure name to the median over runs. */
  Map<String, Map<String, Double>> medians() {
    Map<String, Map<String, List<Double>>> all = new LinkedHashMap<>();
    for (Sample s : samples) {
      Map<String, List<Double>> byFigure =
          all.computeIfAbsent(s.transport() + " " + s.scenario(), k -> new LinkedHashMap<>());
      s.figures().forEach((k, v) -> byFigure.computeIfAbsent(k, x -> new ArrayList<>()).add(v));
    }
    Map<String, Map<String, Double>> out = new LinkedHashMap<>();
    all.forEach(
        (key, figures) -> {
          Map<String, Double> m = new LinkedHashMap<>();
          figures.forEach((name, values) -> m.put(name, median(values)));
          out.put(key, m);
        });
    return out;
  }

  static double median(List<Double> values) {
    double[] v = values.stream().filter(d -> !d.isNaN()).mapToDouble(Double::doubleValue).toArray();
    if (v.length == 0) {
      return Double.NaN;
    }
    Arrays.sort(v);
    return v.length % 2 == 1 ? v[v.length / 2] : (v[v.length / 2 - 1] + v[v.length / 2]) / 2;
  }

  String json() {
    StringBuilder b = new StringBuilder("{\n  \"setup\": {");
    String sep = "";
    for (Map.Entry<String, Object> e : setup.entrySet()) {
      b.append(sep)
          .append("\n    ")
          .append(quote(e.getKey()))
          .append(": ")
          .append(value(e.getValue()));
      sep = ",";
    }
    b.append("\n  },\n  \"medians\": {");
    sep = "";
    for (Map.Entry<String, Map<String, Double>> e : medians().entrySet()) {
      b.append(sep).append("\n    ").append(quote(e.getKey())).append(": {");
      String inner = "";
      for (Map.Entry<String, Double> f : e.getValue().entrySet()) {
        b.append(inner).append(quote(f.getKey())).append(": ").append(value(f.getValue()));
        inner = ", ";
      }
      b.append("}");
      sep = ",";
    }
    b.append("\n  },\n  \"runs\": [");
    sep = "";
    for (Sample s : samples) {
      b.append(sep)
          .append("\n    {\"transport\": ")
          .append(quote(s.transport()))
          .append(", \"scenario\": ")
          .append(quote(s.scenario()));
      s.figures().forEach((k, v) -> b.append(", ").append(quote(k)).append(": ").append(value(v)));
      b.append("}");
      sep = ",";
    }
    return b.append("\n  ]\n}\n").toString();
  }

  String table() {
    StringBuilder b = new StringBuilder();
    b.append(
        String.format(
            Locale.ROOT,
            "%-28s %12s %10s %10s %10s %10s %8s %10s%n",
            "scenario (median of runs)",
            "deltas/s",
            "commit p50",
            "commit p99",
            "apply p50",
            "apply p99",
            "batch",
            "cpu/delta"));
    for (Map.Entry<String, Map<String, Double>> e : medians().entrySet()) {
      Map<String, Double> f = e.getValue();
      b.append(
          String.format(
              Locale.ROOT,
              "%-28s %12.0f %8.3fms %8.3fms %8.3fms %8.3fms %8.1f %8.1fus%n",
              e.getKey(),
              f.getOrDefault("committed_per_s", Double.NaN),
              f.getOrDefault("commit_p50_ms", Double.NaN),
              f.getOrDefault("commit_p99_ms", Double.NaN),
              f.getOrDefault("apply_p50_ms", Double.NaN),
              f.getOrDefault("apply_p99_ms", Double.NaN),
              f.getOrDefault("mean_batch", Double.NaN),
              f.getOrDefault("cpu_us_per_delta", Double.NaN)));
    }
    return b.toString();
  }

  private static String value(Object v) {
    if (v instanceof Double d) {
      return d.isNaN() || d.isInfinite() ? "null" : String.format(Locale.ROOT, "%.4f", d);
    }
    if (v instanceof Number n) {
      return n.toString();
    }
    return quote(String.valueOf(v));
  }

  private static String quote(String s) {
    return "\"" + s.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
  }
}
