package io.mapsync.agent.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mapsync.agent.config.AgentConfig;
import io.mapsync.agent.config.MapConfig;
import io.mapsync.agent.node.AgentNode;
import io.mapsync.bpf.BpfMap;
import io.mapsync.bpf.UpdateFlag;
import io.mapsync.bpf.testing.Require;
import io.mapsync.store.contract.RecordingListener;
import io.mapsync.wire.MapType;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Every metric name the Grafana dashboard and the Prometheus alert rules (deploy/) use is one a
 * running agent exports: scraped from its /metrics after it replicated a change.
 */
class DashboardMetricsTest {
  private static final Path DEPLOY =
      Path.of(System.getProperty("user.dir")).getParent().resolve("deploy");
  private static final Duration WAIT = Duration.ofSeconds(60);

  @BeforeAll
  static void kernel() {
    Require.tracepoints();
  }

  @Test
  void theDashboardAndTheAlertsUseOnlyExportedMetrics() throws Exception {
    try (TestAgents agents =
        new TestAgents(1, MapType.HASH, 4, 8, 1000, MapConfig.CaptureTier.SCAN, Duration.ZERO)) {
      String metrics = "127.0.0.1:" + TestAgents.freePort();
      AgentConfig c = agents.config("n1", false, java.util.List.of());
      AgentNode node =
          agents.start(
              new AgentConfig(
                  c.clusterName(),
                  c.id(),
                  c.dataDir(),
                  c.peers(),
                  c.listeners(),
                  c.join(),
                  c.clientAddress(),
                  metrics,
                  c.store(),
                  c.batching(),
                  c.antiEntropyInterval(),
                  c.maps(),
                  c.emitPinRoot()));
      // the scan tier: syscall capture ignores this JVM's own writes (it is the agent's process)
      try (BpfMap m = agents.openMap("n1")) {
        m.update(new byte[] {1, 0, 0, 0}, new byte[8], UpdateFlag.ANY);
      }
      RecordingListener.await(
          "the write is committed",
          WAIT,
          () -> Metric.total(node, "mapsync_committed_deltas_total") >= 1);
      Set<String> exported = exportedNames(scrape(metrics));
      for (String file : new String[] {"grafana/mapsync.json", "prometheus/alerts.yaml"}) {
        Set<String> used = usedNames(Files.readString(DEPLOY.resolve(file)));
        assertTrue(used.size() >= 8, file + " uses only " + used);
        Set<String> missing = new TreeSet<>(used);
        missing.removeAll(exported);
        assertEquals(
            Set.of(),
            missing,
            file + " uses metrics the agent does not export; it exports " + exported);
      }
    }
  }

  private static String scrape(String address) throws Exception {
    HttpResponse<String> r =
        HttpClient.newHttpClient()
            .send(
                HttpRequest.newBuilder(URI.create("http://" + address + "/metrics"))
                    .timeout(Duration.ofSeconds(30))
                    .build(),
                HttpResponse.BodyHandlers.ofString());
    assertEquals(200, r.statusCode());
    return r.body();
  }

  /** Sample names (with their _bucket, _count, _sum and _total suffixes) of the text exposition. */
  static Set<String> exportedNames(String exposition) {
    return exposition
        .lines()
        .filter(l -> !l.startsWith("#") && !l.isBlank())
        .map(l -> l.split("[{ ]", 2)[0])
        .collect(Collectors.toCollection(TreeSet::new));
  }

  static Set<String> usedNames(String text) {
    Set<String> out = new TreeSet<>();
    Matcher m = Pattern.compile("mapsync_[a-z_]+").matcher(text);
    while (m.find()) {
      out.add(m.group());
    }
    return out;
  }
}
