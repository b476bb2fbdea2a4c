package io.mapsync.chaos.run;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import java.util.TreeMap;

/**
 * Scrapes an agent's Prometheus endpoint: each metric summed over its labels (by name), and each
 * labelled series as written (name{labels}). The run summary shows what the agents did about the
 * faults (repairs, superseded deltas, rejected proposals); the checks read a few series.
 */
final class MetricsScrape {
  private static final HttpClient HTTP =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

  private MetricsScrape() {}

  static Map<String, Double> scrape(String url) {
    Map<String, Double> out = new TreeMap<>();
    try {
      HttpResponse<String> r =
          HTTP.send(
              HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(3)).build(),
              HttpResponse.BodyHandlers.ofString());
      for (String line : r.body().split("\n")) {
        if (line.isEmpty() || line.startsWith("#")) {
          continue;
        }
        int space = line.lastIndexOf(' ');
        int brace = line.indexOf('{');
        String name = line.substring(0, brace > 0 && brace < space ? brace : space);
        try {
          double value = Double.parseDouble(line.substring(space + 1));
          out.merge(name, value, Double::sum);
          if (brace > 0 && brace < space) {
            out.put(line.substring(0, space), value);
          }
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
