package io.mapsync.agent.metrics;

import io.prometheus.metrics.exporter.httpserver.HTTPServer;
import java.io.IOException;

/** Serves /metrics for Prometheus on the configured address. */
public final class MetricsServer implements AutoCloseable {
  private final HTTPServer server;

  private MetricsServer(HTTPServer server) {
    this.server = server;
  }

  public static MetricsServer start(AgentMetrics metrics, String host, int port)
      throws IOException {
    return new MetricsServer(
        HTTPServer.builder()
            .hostname(host)
            .port(port)
            .registry(metrics.registry())
            .buildAndStart());
  }

  public int port() {
    return server.getPort();
  }

  @Override
  public void close() {
    server.close();
  }
}
