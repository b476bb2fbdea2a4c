package io.mapsync.chaos.run;

import io.mapsync.chaos.check.Evidence;
import io.mapsync.chaos.cluster.ChaosCluster;
import io.mapsync.chaos.history.History;
import java.util.ArrayList;
import java.util.List;

/**
 * The figures a report opens with: what the traffic did, what the watches saw, what each agent did.
 */
final class RunSummary {
  private RunSummary() {}

  static List<String> lines(History history, ChaosCluster cluster, Evidence evidence) {
    List<String> lines = new ArrayList<>();
    lines.add("operations: " + history.summary());
    lines.add(
        "store: "
            + evidence.store().entries().size()
            + " keys at revision "
            + evidence.store().revision());
    for (var w : evidence.watches()) {
      lines.add(
          "watch on "
              + w.member()
              + ": "
              + w.events().size()
              + " events, "
              + w.resyncs().size()
              + " resync(s), "
              + w.errors().size()
              + " stream error(s)");
    }
    for (String id : cluster.ids()) {
      var m = MetricsScrape.scrape(cluster.metricsUrl(id));
      lines.add(
          id
              + ": "
              + cluster.member(id).incarnations().size()
              + " incarnation(s); repaired "
              + count(m, "mapsync_repaired_total")
              + ", superseded "
              + count(m, "mapsync_superseded_total")
              + ", rejected "
              + count(m, "mapsync_rejected_total")
              + ", dropped "
              + count(m, "mapsync_dropped_total")
              + ", propose failures "
              + count(m, "mapsync_propose_failures_total")
              + "; applied revision "
              + count(m, "mapsync_applied_revision")
              + ", pending writes "
              + count(m, "mapsync_pending_writes"));
    }
    lines.add("timeline:");
    history.events().forEach(e -> lines.add("  " + e));
    return lines;
  }

  private static long count(java.util.Map<String, Double> metrics, String name) {
    return metrics.getOrDefault(name, 0.0).longValue();
  }
}
