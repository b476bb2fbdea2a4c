package io.mapsync.store.state;

import static io.mapsync.store.contract.Deltas.batch;
import static io.mapsync.store.contract.Deltas.put;
import static io.mapsync.store.contract.Deltas.spec;
import static io.mapsync.store.contract.Deltas.u32;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mapsync.store.StoredEntry;
import io.mapsync.wire.DeltaBatch;
import io.mapsync.wire.LogEntry;
import io.mapsync.wire.MapDelta;
import io.mapsync.wire.MapType;
import io.mapsync.wire.RegisterMap;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * An LRU map's store holds at most max_entries, evicting the least recently written the same way on
 * every replica.
 */
class LruBoundsTest {
  private static final int MAX = 64;

  private static ReplicaState replica() {
    ReplicaState r = new ReplicaState(1 << 20, Runnable::run);
    r.apply(
        LogEntry.newBuilder()
            .setRegisterMap(
                RegisterMap.newBuilder().setSpec(spec("flows", MapType.LRU_HASH, 4, 4, MAX)))
            .build(),
        1);
    return r;
  }

  /** Batch i writes flows 7i..7i+6 and rewrites flow 0, which keeps flow 0 recent. */
  private static DeltaBatch flows(int i) {
    List<MapDelta> deltas = new ArrayList<>();
    for (int k = 7 * i; k < 7 * i + 7; k++) {
      deltas.add(put("flows", u32(k), u32(i)));
    }
    deltas.add(put("flows", u32(0), u32(i)));
    return batch(deltas.toArray(MapDelta[]::new));
  }

  private static Set<Integer> keys(ReplicaState r) {
    return r.readMaps(List.of("flows")).entries("flows").stream()
        .map(StoredEntry::key)
        .map(k -> k.asReadOnlyByteBuffer().order(java.nio.ByteOrder.LITTLE_ENDIAN).getInt())
        .collect(Collectors.toSet());
  }

  @Test
  void tenTimesMaxEntriesFlowsLeaveTheNewestAndTheRewrittenOne() {
    ReplicaState r = replica();
    int batches = 10 * MAX / 7;
    for (int i = 0; i < batches; i++) {
      r.apply(LogEntry.newBuilder().setDeltas(flows(i)).build(), i + 2);
      assertTrue(keys(r).size() <= MAX, "store over max_entries after batch " + i);
    }
    Set<Integer> live = keys(r);
    assertEquals(MAX, live.size());
    assertTrue(live.contains(0), "the flow written in every batch was evicted");
    int newest = 7 * batches - 1;
    for (int k = newest; k > newest - (MAX - 1); k--) {
      assertTrue(live.contains(k), "recent flow " + k + " was evicted");
    }
  }

  @Test
  void aReplicaRestoredFromASnapshotEvictsTheSameKeysAsOneThatAppliedTheLog() throws Exception {
    ReplicaState live = replica();
    ReplicaState restored = new ReplicaState(1 << 20, Runnable::run);
    int half = 5 * MAX / 7;
    for (int i = 0; i < half; i++) {
      live.apply(LogEntry.newBuilder().setDeltas(flows(i)).build(), i + 2);
    }
    ByteArrayOutputStream snap = new ByteArrayOutputStream();
    live.writeSnapshot(snap, 1);
    restored.restoreSnapshot(new ByteArrayInputStream(snap.toByteArray()));
    for (int i = half; i < 2 * half; i++) {
      LogEntry e = LogEntry.newBuilder().setDeltas(flows(i)).build();
      live.apply(e, i + 2);
      restored.apply(e, i + 2);
      assertEquals(keys(live), keys(restored), "replicas diverged at batch " + i);
    }
    assertEquals(MAX, keys(restored).size());
  }
}
