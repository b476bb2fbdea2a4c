package io.mapsync.raft.etcd;

import com.google.protobuf.ByteString;
import io.etcd.jetcd.KV;
import io.etcd.jetcd.kv.GetResponse;
import io.etcd.jetcd.kv.TxnResponse;
import io.etcd.jetcd.op.Op;
import io.etcd.jetcd.options.GetOption;
import io.mapsync.store.KeyRanges;
import io.mapsync.store.StoreException;
import io.mapsync.store.state.KeyLayout;
import io.mapsync.wire.MapSpec;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads, at one revision, how many entries the bounded hash maps of a batch hold and which of the
 * batch's keys exist, so that {@link BatchPlan} can refuse a new key in a full map the way the
 * replicas would. One linearizable read-only txn (several pinned to the first one's revision when
 * the probes exceed the txn op limit). {@link OccupancyEstimates} decides when a batch can skip it.
 *
 * <p>etcd cannot compare a count inside a txn, so the check and the write are two steps: a writer
 * racing on the same nearly full map can push it past max_entries by the keys the two add in that
 * window. docs/etcd-backend.md explains the limit.
 */
final class OccupancyReader {
  private static final Logger LOG = LoggerFactory.getLogger(OccupancyReader.class);
  private static final int COMPACTION_RESTARTS = 3;

  /** Used when the batch adds nothing to a bounded map. */
  static final BatchPlan.Occupancy NOTHING_TO_CHECK =
      new BatchPlan.Occupancy() {
        @Override
        public long count(String map) {
          throw new IllegalStateException("map '" + map + "' was not counted");
        }

        @Override
        public boolean exists(ByteString entryKey) {
          throw new IllegalStateException("key was not probed");
        }
      };

  private final KV kv;
  private final Retrier retrier;
  private final int maxTxnOps;
  private final OccupancyEstimates estimates;

  OccupancyReader(KV kv, Retrier retrier, int maxTxnOps, OccupancyEstimates estimates) {
    this.kv = kv;
    this.retrier = retrier;
    this.maxTxnOps = maxTxnOps;
    this.estimates = estimates;
  }

  /** A probe: the entry count under a map's prefix, or whether one key exists. */
  private record Probe(String map, ByteString key) {}

  /**
   * The occupancy a batch is planned with: the estimate when it proves no key can hit a full map (a
   * stale count is then refreshed in the background), otherwise an exact read.
   */
  CompletableFuture<BatchPlan.Occupancy> forBatch(
      Set<ByteString> keys, Map<String, Long> possiblyNew, Map<String, MapSpec> specs) {
    if (keys.isEmpty()) {
      return CompletableFuture.completedFuture(NOTHING_TO_CHECK);
    }
    BatchPlan.Occupancy estimated = estimates.skipRead(possiblyNew, specs);
    if (estimated != null) {
      recount(estimates.takeStale(possiblyNew.keySet(), specs));
      return CompletableFuture.completedFuture(estimated);
    }
    LOG.debug("exact occupancy read for {} keys of {}", keys.size(), possiblyNew.keySet());
    List<Probe> probes = new ArrayList<>();
    BatchPlan.mapsToCount(keys).forEach(m -> probes.add(new Probe(m, null)));
    keys.forEach(k -> probes.add(new Probe(null, k)));
    return read(probes, 0);
  }

  private void recount(Collection<String> maps) {
    if (maps.isEmpty()) {
      return;
    }
    LOG.debug("recounting {} in the background", maps);
    List<Probe> probes = maps.stream().map(m -> new Probe(m, null)).toList();
    read(probes, 0)
        .whenComplete(
            (occupancy, error) -> {
              if (error != null) {
                estimates.recountFailed(maps);
              }
            });
  }

  private CompletableFuture<BatchPlan.Occupancy> read(List<Probe> probes, int restarts) {
    Map<String, Long> counts = new HashMap<>();
    Set<ByteString> present = new HashSet<>();
    Map<String, Long> marks =
        estimates.beforeRead(probes.stream().filter(p -> p.map() != null).map(Probe::map).toList());
    return chunk(probes, 0, 0, counts, present)
        .<BatchPlan.Occupancy>thenApply(
            done -> {
              estimates.counted(counts, marks);
              return new Snapshot(counts, present);
            })
        .exceptionallyCompose(
            e -> {
              StoreException se = EtcdClientErrors.toStoreException(e, "read map occupancy");
              if (se.reason() == StoreException.Reason.COMPACTED
                  && restarts < COMPACTION_RESTARTS) {
                return read(probes, restarts + 1);
              }
              return CompletableFuture.failedFuture(se);
            });
  }

  private CompletableFuture<Void> chunk(
      List<Probe> probes,
      int from,
      long revision,
      Map<String, Long> counts,
      Set<ByteString> present) {
    if (from >= probes.size()) {
      return CompletableFuture.completedFuture(null);
    }
    List<Probe> part = probes.subList(from, Math.min(probes.size(), from + maxTxnOps));
    Op[] ops = part.stream().map(p -> toOp(p, revision)).toArray(Op[]::new);
    return retrier
        .call("read map occupancy", () -> kv.txn().Then(ops).commit())
        .thenCompose(
            response -> {
              collect(part, response, counts, present);
              long at = revision != 0 ? revision : response.getHeader().getRevision();
              return chunk(probes, from + part.size(), at, counts, present);
            });
  }

  private static Op toOp(Probe p, long revision) {
    GetOption.Builder b = GetOption.builder().withCountOnly(true).withRevision(revision);
    if (p.map() != null) {
      ByteString prefix = KeyLayout.mapPrefix(p.map());
      return Op.get(
          KvMapping.seq(prefix), b.withRange(KvMapping.seq(KeyRanges.prefixEnd(prefix))).build());
    }
    return Op.get(KvMapping.seq(p.key()), b.build());
  }

  private static void collect(
      List<Probe> part, TxnResponse response, Map<String, Long> counts, Set<ByteString> present) {
    List<GetResponse> gets = response.getGetResponses();
    for (int i = 0; i < part.size(); i++) {
      Probe p = part.get(i);
      long count = gets.get(i).getCount();
      if (p.map() != null) {
        counts.put(p.map(), count);
      } else if (count > 0) {
        present.add(p.key());
      }
    }
  }

  /** Counts and present keys as read. */
  private record Snapshot(Map<String, Long> counts, Set<ByteString> present)
      implements BatchPlan.Occupancy {
    @Override
    public long count(String map) {
      return counts.getOrDefault(map, 0L);
    }

    @Override
    public boolean exists(ByteString entryKey) {
      return present.contains(entryKey);
    }
  }
}
