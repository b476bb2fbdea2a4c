package io.mapsync.agent.sync;

import static io.mapsync.store.contract.Deltas.spec;
import static io.mapsync.store.contract.Deltas.u32;
import static io.mapsync.store.contract.Deltas.u64;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.mapsync.store.contract.RecordingListener;
import io.mapsync.store.memory.InMemoryStore;
import io.mapsync.wire.MapType;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/**
 * Deltas in the log for a map an agent does not manage are refused (never reach any local map) and
 * counted, whoever wrote them: the log can name any map, the kernel only sees configured ones.
 */
class UnmanagedMapDeltasTest {
  private static final Duration WAIT = Duration.ofSeconds(30);

  @Test
  void deltasForAMapNotManagedHereAreCountedAndNotApplied() {
    MemoryMap aSessions = new MemoryMap(spec("sessions", MapType.HASH, 4, 8, 1000), true);
    MemoryMap aRoutes = new MemoryMap(spec("routes", MapType.HASH, 4, 8, 1000), true);
    MemoryMap bSessions = new MemoryMap(spec("sessions", MapType.HASH, 4, 8, 1000), true);
    AtomicLong unmanaged = new AtomicLong();
    SyncMetrics counting =
        new SyncMetrics() {
          @Override
          public void unmanaged() {
            unmanaged.incrementAndGet();
          }
        };
    try (InMemoryStore log = new InMemoryStore();
        SyncLoop a =
            new SyncLoop(
                new GatedStore(log),
                "a#1",
                List.of(aSessions, aRoutes),
                BatchPolicy.DEFAULT,
                SyncMetrics.NONE,
                Duration.ZERO,
                Clock.systemUTC());
        SyncLoop b =
            new SyncLoop(
                new GatedStore(log),
                "b#1",
                List.of(bSessions),
                BatchPolicy.DEFAULT,
                counting,
                Duration.ZERO,
                Clock.systemUTC())) {
      a.start();
      b.start();
      aSessions.capture = a::onCaptured;
      aRoutes.capture = a::onCaptured;
      aRoutes.nfWrite(u32(1), u64(1));
      aRoutes.nfWrite(u32(2), u64(2));
      RecordingListener.await("b counts both deltas for routes", WAIT, () -> unmanaged.get() == 2);
      aSessions.nfWrite(u32(3), u64(3));
      RecordingListener.await(
          "b applies sessions", WAIT, () -> u64(3).equals(bSessions.content.get(u32(3))));
      assertEquals(
          1,
          bSessions.content.size(),
          "a routes delta reached b's sessions map: " + bSessions.content);
      assertEquals(2, unmanaged.get());
    }
  }
}
