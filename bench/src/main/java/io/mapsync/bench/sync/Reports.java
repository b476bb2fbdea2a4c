package io.mapsync.bench.sync;

import java.util.Locale;
import java.util.Map;

/**
 * The sync benchmark's readable table and JSON, with the thesis's figures and ratios beside them.
 */
final class Reports {
  private Reports() {}

  static String table(Map<String, SyncBenchCommand.BackendReport> reports) {
    StringBuilder sb = new StringBuilder();
    sb.append(String.format(Locale.ROOT, "%-28s", "end-to-end propagation"));
    reports.keySet().forEach(b -> sb.append(String.format(Locale.ROOT, "%16s", b)));
    sb.append(String.format(Locale.ROOT, "%16s%n", "thesis (2018)"));
    var first = reports.values().iterator().next();
    for (int rate : first.rateP50P99().keySet()) {
      row(
          sb,
          "p50 ms @ " + rate + "/s",
          reports,
          r -> r.rateP50P99().get(rate)[0] / 1000,
          SyncBenchCommand.THESIS_CHANGE_MS);
      row(
          sb,
          "p99 ms @ " + rate + "/s",
          reports,
          r -> r.rateP50P99().get(rate)[1] / 1000,
          Double.NaN);
      row(sb, "late >10 s @ " + rate + "/s", reports, r -> r.rateLost().get(rate), Double.NaN);
    }
    row(
        sb,
        "burst of 30, ms",
        reports,
        SyncBenchCommand.BackendReport::burst30Ms,
        SyncBenchCommand.THESIS_BURST30_MS);
    row(sb, "max sustained writes/s", reports, r -> r.maxSustained(), Double.NaN);
    for (var e : reports.entrySet()) {
      double p50 = e.getValue().rateP50P99().values().iterator().next()[0] / 1000;
      sb.append(
          String.format(
              Locale.ROOT,
              "%s: %.0fx faster per change than the thesis's 96 ms, %.0fx per burst of 30%n",
              e.getKey(),
              SyncBenchCommand.THESIS_CHANGE_MS / p50,
              SyncBenchCommand.THESIS_BURST30_MS / e.getValue().burst30Ms()));
    }
    if (reports.containsKey("ratis") && reports.containsKey("etcd")) {
      var ratis = reports.get("ratis");
      var etcd = reports.get("etcd");
      for (int rate : ratis.rateP50P99().keySet()) {
        sb.append(
            String.format(
                Locale.ROOT,
                "ratis vs etcd @ %d/s: p50 %.1fx, p99 %.1fx lower%n",
                rate,
                etcd.rateP50P99().get(rate)[0] / ratis.rateP50P99().get(rate)[0],
                etcd.rateP50P99().get(rate)[1] / ratis.rateP50P99().get(rate)[1]));
      }
      sb.append(
          String.format(
              Locale.ROOT,
              "ratis vs etcd: burst of 30 %.1fx faster, max sustained %.1fx higher%n",
              etcd.burst30Ms() / ratis.burst30Ms(),
              (double) ratis.maxSustained() / Math.max(1, etcd.maxSustained())));
    }
    return sb.toString();
  }

  private static void row(
      StringBuilder sb,
      String label,
      Map<String, SyncBenchCommand.BackendReport> reports,
      java.util.function.ToDoubleFunction<SyncBenchCommand.BackendReport> value,
      double thesis) {
    sb.append(String.format(Locale.ROOT, "%-28s", label));
    reports
        .values()
        .forEach(r -> sb.append(String.format(Locale.ROOT, "%16.2f", value.applyAsDouble(r))));
    sb.append(
        Double.isNaN(thesis)
            ? String.format("%16s%n", "-")
            : String.format(Locale.ROOT, "%16.0f%n", thesis));
  }

  static String json(Map<String, SyncBenchCommand.BackendReport> reports, int runs, int duration) {
    StringBuilder sb =
        new StringBuilder(
            "{\"benchmark\":\"sync\",\"runs\":"
                + runs
                + ",\"phase_seconds\":"
                + duration
                + ",\"cpus\":"
                + Runtime.getRuntime().availableProcessors()
                + ",\"thesis_ms\":{\"change\":96,\"burst30\":97},\"backends\":{");
    int i = 0;
    for (var e : reports.entrySet()) {
      var r = e.getValue();
      sb.append(i++ == 0 ? "" : ",").append('"').append(e.getKey()).append("\":{\"rates\":{");
      int j = 0;
      for (var rate : r.rateP50P99().entrySet()) {
        sb.append(j++ == 0 ? "" : ",")
            .append(
                String.format(
                    Locale.ROOT,
                    "\"%d\":{\"p50_us\":%.0f,\"p99_us\":%.0f,\"late_over_10s\":%d}",
                    rate.getKey(),
                    rate.getValue()[0],
                    rate.getValue()[1],
                    r.rateLost().get(rate.getKey())));
      }
      sb.append(
          String.format(
              Locale.ROOT,
              "},\"burst30_ms\":%.3f,\"max_sustained_per_s\":%d}",
              r.burst30Ms(),
              r.maxSustained()));
    }
    return sb.append("}}").toString();
  }
}
