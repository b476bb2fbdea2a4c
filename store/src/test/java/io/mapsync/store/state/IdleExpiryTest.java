package io.mapsync.store.state;

import static io.mapsync.store.contract.Deltas.batch;
import static io.mapsync.store.contract.Deltas.spec;
import static io.mapsync.store.contract.Deltas.u32;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mapsync.store.StoredEntry;
import io.mapsync.wire.LogEntry;
import io.mapsync.wire.MapDelta;
import io.mapsync.wire.MapSpec;
import io.mapsync.wire.MapType;
import io.mapsync.wire.RegisterMap;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * Entries idle longer than a map's TTL, by the log's capture times, leave the store the same way on
 * every replica.
 */
class IdleExpiryTest {
  private static final long TTL_MS = 1_000;
  private static final long SECOND = 1_000_000_000L;

  private static MapSpec flowsSpec() {
    return spec("flows", MapType.LRU_HASH, 4, 4, 1 << 16).toBuilder()
        .setIdleTtlMillis(TTL_MS)
        .build();
  }

  private static ReplicaState replica() {
    ReplicaState r = new ReplicaState(1 << 20, Runnable::run);
    r.apply(
        LogEntry.newBuilder().setRegisterMap(RegisterMap.newBuilder().setSpec(flowsSpec())).build(),
        1);
    return r;
  }

  private static LogEntry write(int key, long capturedNanos) {
    return LogEntry.newBuilder()
        .setDeltas(
            batch(
                MapDelta.newBuilder()
                    .setMap("flows")
                    .setOp(MapDelta.Op.PUT)
                    .setKey(u32(key))
                    .setValue(u32(key))
                    .setCapturedUnixNanos(capturedNanos)
                    .build()))
        .build();
  }

  private static Set<Integer> keys(ReplicaState r) {
    return r.readMaps(List.of("flows")).entries("flows").stream()
        .map(StoredEntry::key)
        .map(k -> k.asReadOnlyByteBuffer().order(java.nio.ByteOrder.LITTLE_ENDIAN).getInt())
        .collect(Collectors.toSet());
  }

  @Test
  void flowsIdleLongerThanTheTtlExpireAndRewrittenOnesStay() {
    ReplicaState r = replica();
    long t0 = 1_700_000_000L * SECOND;
    long rev = 2;
    // Flow 0 is rewritten every 100 ms (a live flow); flows 1..1000 are written once each, 10 ms
    // apart.
    for (int i = 1; i <= 1000; i++) {
      long now = t0 + i * 10_000_000L;
      r.apply(write(i, now), rev++);
      if (i % 10 == 0) {
        r.apply(write(0, now), rev++);
      }
    }
    Set<Integer> live = keys(r);
    assertTrue(live.contains(0), "the live flow expired");
    // The last write was at t0 + 10 s: flows written in the last second (901..1000) stay, older
    // ones left.
    for (int i = 1; i <= 1000; i++) {
      assertEquals(i >= 900, live.contains(i), "flow " + i);
    }
    assertTrue(
        live.size() <= 102, "store holds " + live.size() + " entries, not only the last second's");
  }

  @Test
  void aReplicaRestoredFromASnapshotExpiresTheSameKeysAtTheSameRevision() throws Exception {
    ReplicaState live = replica();
    long t0 = 1_700_000_000L * SECOND;
    for (int i = 0; i < 300; i++) {
      live.apply(write(i, t0 + i * 10_000_000L), i + 2);
    }
    ByteArrayOutputStream snap = new ByteArrayOutputStream();
    live.writeSnapshot(snap, 1);
    ReplicaState restored = new ReplicaState(1 << 20, Runnable::run);
    restored.restoreSnapshot(new ByteArrayInputStream(snap.toByteArray()));
    for (int i = 300; i < 600; i++) {
      LogEntry e = write(i % 7 == 0 ? i % 50 : i, t0 + i * 10_000_000L);
      live.apply(e, i + 2);
      restored.apply(e, i + 2);
      assertEquals(keys(live), keys(restored), "replicas diverged at write " + i);
    }
    assertTrue(keys(restored).size() <= 101, "store holds " + keys(restored).size());
  }

  @Test
  void anArrayMapWithAnIdleTtlIsRefusedWithTheReason() {
    String problem =
        MapValidation.checkSpec(
            spec("slots", MapType.ARRAY, 4, 4, 8).toBuilder().setIdleTtlMillis(5).build());
    assertNotNull(problem);
    assertTrue(problem.contains("'slots'") && problem.contains("idle_ttl"), problem);
  }
}
