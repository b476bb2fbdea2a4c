package io.mapsync.agent.node;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;

import io.mapsync.agent.config.AgentConfig;
import io.mapsync.store.StateStore;
import io.mapsync.store.StoreException;
import io.mapsync.store.cluster.ServedCluster;
import io.mapsync.store.memory.InMemoryStore;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot;
import io.prometheus.metrics.model.snapshots.MetricSnapshot;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An agent whose store fails for good (its Raft member died) stops reporting ready and says so
 * once.
 */
class StoreFailureTest {
  @TempDir Path dir;

  @Test
  void aFailedStoreEndsReadinessAndCompletesTheAgentsFailure() throws Exception {
    FailingBackend backend = new FailingBackend();
    AgentConfig config =
        new AgentConfig(
            "mapsync",
            "n1",
            dir,
            Map.of("n1", "127.0.0.1:1"),
            List.of(),
            false,
            "",
            "",
            new AgentConfig.StoreConfig(AgentConfig.Backend.RATIS, List.of(), "", Map.of()),
            new AgentConfig.Batching(64, Duration.ofMillis(1)),
            Duration.ZERO,
            List.of(),
            AgentConfig.DEFAULT_EMIT_PIN_ROOT);
    AgentNode node = AgentNode.start(config, c -> backend);
    try {
      assertEquals(1.0, ready(node));
      assertFalse(node.failure().isDone());
      StoreException died =
          new StoreException(StoreException.Reason.CLOSED, "n1: the Raft member failed");
      backend.listener.accept(died);
      assertSame(died, node.failure().get(5, TimeUnit.SECONDS));
      assertEquals(0.0, ready(node), "a failed agent must not report ready");
    } finally {
      node.close();
      node.close(); // the shutdown hook closes a failed agent a second time
    }
    assertEquals(1, backend.closes.get(), "closing twice closes the store once");
  }

  private static double ready(AgentNode node) {
    for (MetricSnapshot s : node.metrics().registry().scrape()) {
      if (s instanceof GaugeSnapshot g && s.getMetadata().getName().equals("mapsync_ready")) {
        return g.getDataPoints().get(0).getValue();
      }
    }
    throw new AssertionError("no mapsync_ready gauge");
  }

  /** An in-memory store whose failure the test triggers. */
  private static final class FailingBackend implements Backend {
    private final InMemoryStore store = new InMemoryStore();
    private final AtomicInteger closes = new AtomicInteger();
    private Consumer<StoreException> listener;

    @Override
    public StateStore store() {
      return store;
    }

    @Override
    public Optional<ServedCluster> cluster() {
      return Optional.empty();
    }

    @Override
    public void onFailure(Consumer<StoreException> l) {
      listener = l;
    }

    @Override
    public void close() {
      closes.incrementAndGet();
      store.close();
    }
  }
}
