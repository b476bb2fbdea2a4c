package io.mapsync.examples.lb;

import java.io.IOException;
import java.io.InputStream;
import java.net.HttpURLConnection;
import java.net.URI;
import java.nio.charset.StandardCharsets;

/**
 * Reads an agent's Prometheus endpoint, to split the measured propagation into the agent's own
 * stages.
 */
final class Metrics {
  private final String text;

  private Metrics(String text) {
    this.text = text;
  }

  /**
   * A plain blocking connection, not java.net.http: that client keeps an epoll instance and an
   * eventfd until it is garbage-collected, which NoFdLeaks rightly reports.
   */
  static Metrics scrape(int port) throws IOException {
    HttpURLConnection c =
        (HttpURLConnection)
            URI.create("http://127.0.0.1:" + port + "/metrics").toURL().openConnection();
    c.setConnectTimeout(10_000);
    c.setReadTimeout(10_000);
    try (InputStream in = c.getInputStream()) {
      return new Metrics(new String(in.readAllBytes(), StandardCharsets.UTF_8));
    } finally {
      c.disconnect();
    }
  }

  /**
   * A histogram's mean in milliseconds and its count, e.g. "12.3 ms over 20"; "-" when it has no
   * samples.
   */
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
