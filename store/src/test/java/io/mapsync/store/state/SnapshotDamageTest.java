package io.mapsync.store.state;

import static io.mapsync.store.contract.Deltas.batch;
import static io.mapsync.store.contract.Deltas.put;
import static io.mapsync.store.contract.Deltas.spec;
import static io.mapsync.store.contract.Deltas.u32;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.mapsync.wire.LogEntry;
import io.mapsync.wire.MapType;
import io.mapsync.wire.RegisterMap;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/** A truncated or altered snapshot is refused and the replica keeps what it held. */
class SnapshotDamageTest {
  private static ReplicaState replica(int entries) {
    ReplicaState r = new ReplicaState(1 << 20, Runnable::run);
    r.apply(
        LogEntry.newBuilder()
            .setRegisterMap(
                RegisterMap.newBuilder().setSpec(spec("m", MapType.HASH, 4, 4, 10 * entries)))
            .build(),
        1);
    for (int i = 0; i < entries; i++) {
      r.apply(LogEntry.newBuilder().setDeltas(batch(put("m", u32(i), u32(i)))).build(), i + 2);
    }
    return r;
  }

  private static int size(ReplicaState r) {
    return r.readMaps(List.of("m")).entries("m").size();
  }

  @Test
  void truncatedOrAlteredSnapshotsAreRefusedAndTheOldStateStays() throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    replica(3000).writeSnapshot(out, 1);
    byte[] good = out.toByteArray();
    ReplicaState target = replica(10);
    for (int cut : new int[] {0, 1, good.length / 2, good.length - 1}) {
      byte[] truncated = Arrays.copyOf(good, cut);
      assertThrows(
          IOException.class,
          () -> target.restoreSnapshot(new ByteArrayInputStream(truncated)),
          "a snapshot cut at byte " + cut);
      assertEquals(10, size(target));
    }
    byte[] altered = good.clone();
    altered[good.length / 2] ^= 0x01;
    assertThrows(
        IOException.class, () -> target.restoreSnapshot(new ByteArrayInputStream(altered)));
    assertEquals(10, size(target));
    target.restoreSnapshot(new ByteArrayInputStream(good));
    assertEquals(3000, size(target));
  }
}
