package io.mapsync.store.state;

import static io.mapsync.store.contract.Deltas.batch;
import static io.mapsync.store.contract.Deltas.put;
import static io.mapsync.store.contract.Deltas.spec;
import static io.mapsync.store.contract.Deltas.u32;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.google.protobuf.ByteString;
import io.mapsync.store.StoredEntry;
import io.mapsync.wire.LogEntry;
import io.mapsync.wire.MapDelta;
import io.mapsync.wire.MapType;
import io.mapsync.wire.RegisterMap;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * A snapshot is a cut of the state at one revision: writes applied while it is being serialized go
 * on (they used to wait for the whole write) and are not in it; a replica restored from it holds
 * every map's entries and counts.
 */
class SnapshotCutTest {
  private static final int N = 5000;

  private static ReplicaState replica() {
    ReplicaState r = new ReplicaState(1 << 20, Runnable::run);
    long rev = 1;
    for (String map : List.of("a", "b")) {
      r.apply(
          LogEntry.newBuilder()
              .setRegisterMap(
                  RegisterMap.newBuilder().setSpec(spec(map, MapType.HASH, 4, 4, 2 * N)))
              .build(),
          rev++);
    }
    for (int i = 0; i < N; i++) {
      r.apply(
          LogEntry.newBuilder()
              .setDeltas(batch(put("a", u32(i), u32(i)), put("b", u32(i), u32(-i))))
              .build(),
          rev++);
    }
    return r;
  }

  private static Map<ByteString, ByteString> content(ReplicaState r, String map) {
    Map<ByteString, ByteString> out = new HashMap<>();
    for (StoredEntry e : r.readMaps(List.of(map)).entries(map)) {
      out.put(e.key(), e.value());
    }
    return out;
  }

  /** Blocks the snapshot's first write until released, as a slow disk would. */
  private static final class StalledStream extends OutputStream {
    final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    final CountDownLatch writing = new CountDownLatch(1);
    final CountDownLatch release = new CountDownLatch(1);

    @Override
    public void write(int b) throws IOException {
      write(new byte[] {(byte) b}, 0, 1);
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
      writing.countDown();
      try {
        release.await();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IOException(e);
      }
      bytes.write(b, off, len);
    }
  }

  @Test
  void writesGoOnWhileASnapshotIsWrittenAndAreNotInIt() throws Exception {
    ReplicaState live = replica();
    Map<ByteString, ByteString> before = content(live, "a");
    long cutAt = live.revision();
    StalledStream out = new StalledStream();
    CompletableFuture<Void> snapshot =
        CompletableFuture.runAsync(
            () -> {
              try {
                live.writeSnapshot(out, 1);
              } catch (IOException e) {
                throw new UncheckedIOException(e);
              }
            });
    try {
      out.writing.await(30, TimeUnit.SECONDS);
      // The snapshot is stuck in its output; an apply must not wait for it.
      CompletableFuture<Void> apply =
          CompletableFuture.runAsync(
              () -> {
                MapDelta d = put("a", u32(0), u32(12345));
                live.apply(LogEntry.newBuilder().setDeltas(batch(d)).build(), cutAt + 1);
              });
      apply.get(30, TimeUnit.SECONDS);
      assertEquals(u32(12345), content(live, "a").get(u32(0)));
    } finally {
      out.release.countDown();
    }
    snapshot.get(30, TimeUnit.SECONDS);

    ReplicaState restored = new ReplicaState(1 << 20, Runnable::run);
    assertEquals(
        cutAt, restored.restoreSnapshot(new ByteArrayInputStream(out.bytes.toByteArray())));
    assertEquals(before, content(restored, "a"), "map a as of the cut");
    assertEquals(N, content(restored, "b").size());
    assertEquals(u32(-7), content(restored, "b").get(u32(7)));
    // The restored counts are right: a full map refuses one more key, as the live one does.
    MapDelta more = put("b", u32(N), u32(0));
    for (int i = N + 1; i <= 2 * N; i++) {
      restored.apply(
          LogEntry.newBuilder().setDeltas(batch(put("b", u32(i), u32(0)))).build(),
          restored.revision() + 1);
    }
    assertEquals(2 * N, content(restored, "b").size());
    var refused =
        restored.apply(
            LogEntry.newBuilder().setDeltas(batch(more)).build(), restored.revision() + 1);
    assertEquals(1, refused.getRejectionsCount(), "a full map restored from a snapshot");
  }
}
