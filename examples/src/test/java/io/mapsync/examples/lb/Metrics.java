package io.mapsync.examples.lb;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/** Reads an agent's Prometheus endpoint, to split the measured propagation into the agent's own stages. */
final class Metrics {
  private final String text;

  private Metrics(String text) {
    this.text = text;
  }

  static Metrics scrape(int port) throws IOException, InterruptedException {
    HttpRequest req = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/metrics"))
        .timeout(Duration.ofSeconds(10)).build();
    return new Metrics(HttpClient.newHttpClient().send(req, HttpResponse.BodyHandlers.ofString()).body());
  }

  /** A histogram's mean in milliseconds and its count, e.g. "12.3 ms over 20"; "-" when it has no samples. */
  String mean(String histogram) {
    double sum = value(histogram + "_sum");
    double count = value(histogram + "_count");
    return count == 0 ? "-" : String.format("%.1f ms over %.0f", sum / count * 1000, count);
  }

  private double value(String series) {
    for (String line : text.split("\n")) {
      if (line.startsWith(series + " ")) {
        return Double.parseDouble(line.substring(series.length() + 1).trim());
      }
    }
    return 0;
  }
}
