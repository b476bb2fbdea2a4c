package io.mapsync.raft.ratis;

import static io.mapsync.store.contract.Deltas.batch;
import static io.mapsync.store.contract.Deltas.put;
import static io.mapsync.store.contract.Deltas.spec;
import static io.mapsync.store.contract.Deltas.u32;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.google.protobuf.ByteString;
import io.mapsync.store.Commit;
import io.mapsync.store.StateStore;
import io.mapsync.store.StoredEntry;
import io.mapsync.store.contract.RecordingListener;
import io.mapsync.wire.MapType;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

/** Test helpers: write numbered entries, compare replicas, wait for them to converge. */
final class Replicas {
  static final Duration WAIT = Duration.ofSeconds(30);
  static final String MAP = "sessions";

  private Replicas() {}

  static <T> T get(java.util.concurrent.CompletableFuture<T> f) throws Exception {
    try {
      return f.get(WAIT.toSeconds(), TimeUnit.SECONDS);
    } catch (ExecutionException e) {
      throw e.getCause() instanceof Exception c ? c : e;
    }
  }

  static void registerMap(StateStore store) throws Exception {
    get(store.registerMap(spec(MAP, MapType.HASH, 4, 4, 1_000_000)));
  }

  /**
   * Writes keys [from, to) one batch each, value = key * 10 + generation; returns the last
   * revision.
   */
  static long write(StateStore store, int from, int to, int generation) throws Exception {
    long last = 0;
    for (int i = from; i < to; i++) {
      Commit c = get(store.propose(batch(put(MAP, u32(i), u32(i * 10 + generation)))));
      last = c.revision();
    }
    return last;
  }

  /** The member's local copy of the map, key to value. */
  static Map<ByteString, ByteString> local(RatisNode node) {
    Map<ByteString, ByteString> out = new TreeMap<>(ByteString.unsignedLexicographicalComparator());
    for (StoredEntry e : node.localState().readMaps(List.of(MAP)).entries(MAP)) {
      out.put(e.key(), e.value());
    }
    return out;
  }

  /**
   * Waits until every running member has applied at least the revision, then checks they hold the
   * same map.
   */
  static Map<ByteString, ByteString> awaitConverged(LocalCluster cluster, long revision) {
    for (RatisNode n : cluster.running().values()) {
      RecordingListener.await(
          n.config().nodeId() + " applies revision " + revision,
          WAIT,
          () -> n.localState().revision() >= revision);
    }
    Map<ByteString, ByteString> reference = null;
    for (RatisNode n : cluster.running().values()) {
      Map<ByteString, ByteString> mine = local(n);
      if (reference == null) {
        reference = mine;
      } else {
        assertEquals(reference, mine, n.config().nodeId() + " differs from the other members");
      }
    }
    return reference;
  }
}
