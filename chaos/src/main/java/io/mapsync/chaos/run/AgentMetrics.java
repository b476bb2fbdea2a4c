package io.mapsync.chaos.run;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import java.util.TreeMap;

/**
 * Scrapes an agent's Prometheus endpoint and sums each metric over its labels: the run summary
 * shows what the agents did about the faults (repairs, superseded deltas, rejected proposals).
 */
final class AgentMetrics {
  private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

  private AgentMetrics() {}

  static Map<String, Double> scrape(String url) {
    Map<String, Double> out = new TreeMap<>();
    try {
      HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(3)).build(),
          HttpResponse.BodyHandlers.ofString());
      for (String line : r.body().split("\n")) {
        if (line.isEmpty() || line.startsWith("#")) {
          continue;
        }
        int space = line.lastIndexOf(' ');
        int brace = line.indexOf('{');
        String name = line.substring(0, brace > 0 && brace < space ? brace : space);
        try {
          out.merge(name, Double.parseDouble(line.substring(space + 1)), Double::sum);
        } catch (NumberFormatException e) {
          // not a sample line
        }
      }
    } catch (Exception e) {
      out.put("scrape_failed", 1.0);
    }
    return out;
  }
}
