package io.mapsync.packaging;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Locale;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The Grafana dashboard and the Prometheus alert rules (deploy/) are well-formed, and every alert
 * has a runbook section in docs/operations.md. (DashboardMetricsTest in agent/ checks their metric
 * names against a running agent's /metrics.)
 */
class MonitoringFilesTest {
  static final Path REPO = Path.of(System.getProperty("user.dir")).getParent();
  private static final ObjectMapper JSON =
      new ObjectMapper().enable(DeserializationFeature.FAIL_ON_READING_DUP_TREE_KEY);
  private static final ObjectMapper YAML =
      new ObjectMapper(
          YAMLFactory.builder().enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION).build());

  @Test
  void everyDashboardPanelHasQueriesAndAPlace() throws Exception {
    JsonNode d = JSON.readTree(REPO.resolve("deploy/grafana/mapsync.json").toFile());
    assertEquals("mapsync", d.get("uid").asText());
    Set<Integer> ids = new HashSet<>();
    for (JsonNode p : d.get("panels")) {
      assertTrue(ids.add(p.get("id").asInt()), "two panels with id " + p.get("id"));
      assertTrue(
          p.at("/gridPos/w").asInt() > 0 && p.at("/gridPos/h").asInt() > 0,
          p.get("title") + " has no place");
      assertTrue(p.get("targets").size() > 0, p.get("title") + " has no query");
      for (JsonNode t : p.get("targets")) {
        assertBalanced(t.get("expr").asText());
      }
    }
    String titles = d.get("panels").toString().toLowerCase(Locale.ROOT);
    for (String topic :
        new String[] {
          "propagation latency",
          "commit latency",
          "lag per member",
          "capture drops",
          "bootstrap progress"
        }) {
      assertTrue(titles.contains(topic), "the dashboard has no panel for " + topic);
    }
  }

  @Test
  void everyAlertHasASeverityASummaryAndARunbookSection() throws Exception {
    JsonNode rules = YAML.readTree(REPO.resolve("deploy/prometheus/alerts.yaml").toFile());
    String runbook = Files.readString(REPO.resolve("docs/operations.md"));
    Set<String> alerts = new HashSet<>();
    for (JsonNode group : rules.get("groups")) {
      assertTrue(group.hasNonNull("name"));
      for (JsonNode r : group.get("rules")) {
        String name = r.get("alert").asText();
        assertTrue(alerts.add(name), "two alerts named " + name);
        assertBalanced(r.get("expr").asText());
        assertTrue(
            Set.of("critical", "warning", "info").contains(r.at("/labels/severity").asText()),
            name);
        assertTrue(!r.at("/annotations/summary").asText().isEmpty(), name + " has no summary");
        assertEquals(
            "docs/operations.md#" + name.toLowerCase(Locale.ROOT),
            r.at("/annotations/runbook").asText());
        assertTrue(
            runbook.contains("\n### " + name + "\n"),
            "docs/operations.md has no '### " + name + "' section");
      }
    }
    for (String needed :
        new String[] {"MapsyncNoQuorum", "MapsyncApplyLag", "MapsyncCaptureDrops"}) {
      assertTrue(alerts.contains(needed), "no alert " + needed);
    }
  }

  private static void assertBalanced(String expr) {
    int depth = 0;
    for (char c : expr.toCharArray()) {
      depth += c == '(' || c == '{' || c == '[' ? 1 : c == ')' || c == '}' || c == ']' ? -1 : 0;
      assertTrue(depth >= 0, "unbalanced brackets: " + expr);
    }
    assertEquals(0, depth, "unbalanced brackets: " + expr);
  }
}
