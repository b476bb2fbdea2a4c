package io.mapsync.agent.kernel;

import io.mapsync.agent.node.AgentNode;
import io.prometheus.metrics.model.snapshots.CounterSnapshot;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot;
import io.prometheus.metrics.model.snapshots.MetricSnapshot;

/** Reads a counter's or a gauge's total (all label values) from an agent's Prometheus registry. */
final class Metric {
  private Metric() {}

  static double total(AgentNode node, String counter) {
    double sum = 0;
    for (MetricSnapshot s : node.metrics().registry().scrape()) {
      if (s instanceof CounterSnapshot c
          && (s.getMetadata().getName().equals(counter)
              || (s.getMetadata().getName() + "_total").equals(counter))) {
        for (var d : c.getDataPoints()) {
          sum += d.getValue();
        }
      }
    }
    return sum;
  }

  static double gauge(AgentNode node, String name) {
    double sum = 0;
    for (MetricSnapshot s : node.metrics().registry().scrape()) {
      if (s instanceof GaugeSnapshot g && s.getMetadata().getName().equals(name)) {
        for (var d : g.getDataPoints()) {
          sum += d.getValue();
        }
      }
    }
    return sum;
  }
}
