package io.mapsync.bench.sync;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * {@code mapsync bench sync --timeline}: each run starts a fresh cluster and offers the load
 * profile at once, as a new user would; prints every second's figures and the pooled figures of
 * each 10 s.
 */
final class TimelineRuns {
  private TimelineRuns() {}

  static int run(List<SyncTimeline.Phase> phases, List<String> backends, int runs, Path json)
      throws Exception {
    StringBuilder out = new StringBuilder("[");
    for (int run = 1; run <= runs; run++) {
      for (String backend : backends) {
        if (out.length() > 1) {
          out.append(',');
        }
        out.append(one(phases, backend, run));
      }
    }
    out.append(']');
    System.out.println(out);
    if (json != null) {
      Files.writeString(json, out);
    }
    return 0;
  }

  private static String one(List<SyncTimeline.Phase> phases, String backend, int run)
      throws Exception {
    return BenchCluster.with(
        backend,
        (bench, agents) -> {
          SyncTimeline.Result r = SyncTimeline.run(bench, phases);
          List<String> seconds = new ArrayList<>();
          for (SyncTimeline.Second s : r.seconds()) {
            System.err.println("[" + backend + "] run " + run + ": " + s.line());
            seconds.add(
                String.format(
                    Locale.ROOT,
                    "[%d,%d,%.0f,%.0f,%.0f,%.0f,%d]",
                    s.second(),
                    s.perSecond(),
                    s.p50(),
                    s.p90(),
                    s.p99(),
                    s.max(),
                    s.lost()));
          }
          List<String> windows = new ArrayList<>();
          for (int from = 0; from < r.seconds().size(); from += 10) {
            int to = Math.min(r.seconds().size(), from + 10);
            double[] p = r.pooled(bench, from, to);
            System.err.printf(
                Locale.ROOT,
                "[%s] run %d: seconds %d-%d pooled p50 %.0f us p90 %.0f us p99 %.0f us%n",
                backend,
                run,
                from,
                to - 1,
                p[0],
                p[1],
                p[2]);
            windows.add(
                String.format(Locale.ROOT, "[%d,%d,%.0f,%.0f,%.0f]", from, to, p[0], p[1], p[2]));
          }
          return String.format(
              Locale.ROOT,
              "{\"backend\":\"%s\",\"run\":%d," + "\"seconds\":[%s],\"windows\":[%s]}",
              backend,
              run,
              String.join(",", seconds),
              String.join(",", windows));
        });
  }
}
