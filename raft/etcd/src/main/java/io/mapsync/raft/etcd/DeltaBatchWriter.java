package io.mapsync.raft.etcd;

import com.google.protobuf.ByteString;
import io.etcd.jetcd.KV;
import io.etcd.jetcd.Txn;
import io.etcd.jetcd.kv.TxnResponse;
import io.etcd.jetcd.op.Cmp;
import io.etcd.jetcd.op.CmpTarget;
import io.etcd.jetcd.op.Op;
import io.etcd.jetcd.options.DeleteOption;
import io.etcd.jetcd.options.GetOption;
import io.etcd.jetcd.options.PutOption;
import io.mapsync.store.Commit;
import io.mapsync.store.StoreException;
import io.mapsync.store.state.KeyLayout;
import io.mapsync.wire.DeltaBatch;
import io.mapsync.wire.MapDelta;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Commits delta batches, each as one etcd txn, applied at most once.
 *
 * <p>A batch with an origin and a batch_seq carries a guard: the txn applies only if the origin's
 * marker ({@code /mapsync/origins/<origin>}) is below the batch's seq, and moves the marker to it.
 * So the same txn can be sent again after a timeout or a leader change: if an earlier attempt
 * landed, the compare fails and the batch is acknowledged as already applied, at the marker's
 * revision. etcd does not order concurrent requests, so the batches of one origin are sent one at a
 * time, in the order propose was called; otherwise a later batch could land first and make an
 * earlier one look applied.
 *
 * <p>A batch without origin or seq has no guard: it is sent once and an ambiguous failure is
 * reported, not retried, since a second landing would apply it twice.
 */
final class DeltaBatchWriter {
  private static final Logger LOG = LoggerFactory.getLogger(DeltaBatchWriter.class);
  private static final int MAX_MARKER_ROUNDS = 5;
  private static final int MAX_CACHED_ORIGINS = 4096;

  private final KV kv;
  private final Retrier retrier;
  private final MapSpecs specs;
  private final OccupancyReader occupancy;
  private final OccupancyEstimates estimates = new OccupancyEstimates(System::nanoTime);
  private final int maxTxnOps;
  private final Map<String, CompletableFuture<Commit>> lastInFlight = new HashMap<>();
  private final Map<String, Boolean> markerExists = new ConcurrentHashMap<>();

  DeltaBatchWriter(KV kv, Retrier retrier, MapSpecs specs, int maxTxnOps) {
    this.kv = kv;
    this.retrier = retrier;
    this.specs = specs;
    this.occupancy = new OccupancyReader(kv, retrier, maxTxnOps, estimates);
    this.maxTxnOps = maxTxnOps;
  }

  CompletableFuture<Commit> propose(DeltaBatch batch) {
    if (!guarded(batch)) {
      return write(batch);
    }
    String origin = batch.getOrigin();
    synchronized (lastInFlight) {
      CompletableFuture<Commit> previous = lastInFlight.get(origin);
      CompletableFuture<Commit> mine =
          previous == null
              ? write(batch)
              : previous.handle((c, e) -> null).thenCompose(ignored -> write(batch));
      lastInFlight.put(origin, mine);
      mine.whenComplete(
          (c, e) -> {
            synchronized (lastInFlight) {
              lastInFlight.remove(origin, mine);
            }
          });
      return mine;
    }
  }

  private static boolean guarded(DeltaBatch batch) {
    return !batch.getOrigin().isEmpty() && batch.getBatchSeq() != 0;
  }

  private CompletableFuture<Commit> write(DeltaBatch batch) {
    Set<String> maps = new LinkedHashSet<>();
    for (MapDelta d : batch.getDeltasList()) {
      maps.add(d.getMap());
    }
    return specs
        .resolve(maps)
        .thenCompose(
            known -> {
              Set<ByteString> keys = BatchPlan.keysToCheck(batch, known);
              Map<String, Long> possiblyNew = OccupancyEstimates.keysPerMap(keys);
              return occupancy
                  .forBatch(keys, possiblyNew, known)
                  .thenCompose(
                      occ -> {
                        BatchPlan plan = BatchPlan.of(batch, known, occ);
                        estimates.sending(possiblyNew);
                        return commit(batch, plan)
                            .whenComplete(
                                (c, e) -> {
                                  // An unknown outcome never settles: the batch may still land, so
                                  // it stays in the bound.
                                  if (e == null
                                      || !EtcdClientErrors.toStoreException(e, "").retriable()) {
                                    estimates.settled(possiblyNew);
                                  }
                                });
                      });
            });
  }

  private CompletableFuture<Commit> commit(DeltaBatch batch, BatchPlan plan) {
    int ops = plan.writes().size() + (guarded(batch) ? 1 : 0);
    if (ops > maxTxnOps) {
      return CompletableFuture.failedFuture(
          new StoreException(
              StoreException.Reason.REJECTED,
              "batch "
                  + batch.getOrigin()
                  + "/"
                  + Long.toUnsignedString(batch.getBatchSeq())
                  + " writes "
                  + ops
                  + " keys in one txn but etcd allows "
                  + maxTxnOps
                  + " (--max-txn-ops): send smaller batches or raise"
                  + " --max-txn-ops on every member and etcd.max-txn-ops here"));
    }
    if (!guarded(batch)) {
      CompletableFuture<TxnResponse> once =
          plan.writes().isEmpty()
              ? retrier.call("read revision", () -> kv.txn().commit())
              : sendOnce(plan);
      return once.thenApply(r -> new Commit(r.getHeader().getRevision(), plan.rejections(), false));
    }
    return commitGuarded(batch, plan, new AtomicBoolean(), 0);
  }

  private CompletableFuture<TxnResponse> sendOnce(BatchPlan plan) {
    Txn txn = kv.txn().Then(writeOps(plan).toArray(Op[]::new));
    return txn.commit()
        .exceptionallyCompose(
            e ->
                CompletableFuture.failedFuture(
                    EtcdClientErrors.toStoreException(
                        e,
                        "commit batch without origin (not retried: it has no idempotency marker)")));
  }

  /**
   * Sends the guarded txn until it has an answer. {@code unsure} records that a send failed without
   * an answer (it may have landed), which decides how a covered marker is reported.
   */
  private CompletableFuture<Commit> commitGuarded(
      DeltaBatch batch, BatchPlan plan, AtomicBoolean unsure, int round) {
    String origin = batch.getOrigin();
    long seq = batch.getBatchSeq();
    ByteString marker = KeyLayout.originKey(origin);
    boolean exists = markerExists.getOrDefault(origin, false);
    String what = "commit batch " + origin + "/" + Long.toUnsignedString(seq);
    return retrier
        .call(
            what,
            () ->
                guardedTxn(plan, marker, seq, exists)
                    .commit()
                    .whenComplete(
                        (r, e) -> {
                          if (e != null) {
                            unsure.set(true);
                          }
                        }))
        .thenCompose(
            response -> {
              if (response.isSucceeded()) {
                remember(origin, true);
                return CompletableFuture.completedFuture(
                    new Commit(response.getHeader().getRevision(), plan.rejections(), false));
              }
              var stored = response.getGetResponses().get(0).getKvs();
              if (round + 1 >= MAX_MARKER_ROUNDS) {
                return CompletableFuture.failedFuture(
                    new StoreException(
                        StoreException.Reason.UNAVAILABLE,
                        what
                            + ": the origin marker keeps changing under the batch; is another writer using origin "
                            + origin
                            + "?"));
              }
              if (stored.isEmpty()) {
                remember(origin, false);
                return commitGuarded(batch, plan, unsure, round + 1);
              }
              remember(origin, true);
              io.etcd.jetcd.KeyValue mark = stored.get(0);
              long storedSeq;
              try {
                storedSeq = OriginMarker.decode(KvMapping.bytes(mark.getValue()));
              } catch (IllegalArgumentException e) {
                return CompletableFuture.failedFuture(
                    new StoreException(
                        StoreException.Reason.REJECTED,
                        what
                            + ": "
                            + marker.toStringUtf8()
                            + " is not an origin marker: "
                            + e.getMessage()));
              }
              if (!OriginMarker.covers(storedSeq, seq)) {
                return commitGuarded(batch, plan, unsure, round + 1);
              }
              return CompletableFuture.completedFuture(
                  acknowledged(batch, plan, storedSeq, mark.getModRevision(), unsure.get()));
            });
  }

  /**
   * The answer for a batch the marker already covers. If a send of this very call went unanswered
   * and the marker holds exactly this seq, that send is what landed (one origin's batches are sent
   * one at a time): report it as applied, with its rejections. Otherwise an earlier propose applied
   * the batch: a duplicate.
   */
  private static Commit acknowledged(
      DeltaBatch batch, BatchPlan plan, long storedSeq, long markRevision, boolean unsure) {
    if (storedSeq == batch.getBatchSeq() && unsure) {
      return new Commit(markRevision, plan.rejections(), false);
    }
    if (storedSeq != batch.getBatchSeq()) {
      LOG.warn(
          "batch {}/{} is covered by the later batch {} already applied: it is acknowledged as a duplicate; if it"
              + " never landed its deltas are lost (propose each origin's batches in seq order and retry a failed one"
              + " before sending later ones)",
          batch.getOrigin(),
          Long.toUnsignedString(batch.getBatchSeq()),
          Long.toUnsignedString(storedSeq));
    }
    return new Commit(markRevision, List.of(), true);
  }

  private Txn guardedTxn(BatchPlan plan, ByteString marker, long seq, boolean markerExists) {
    Cmp guard =
        markerExists
            ? new Cmp(
                KvMapping.seq(marker),
                Cmp.Op.LESS,
                CmpTarget.value(KvMapping.seq(OriginMarker.encode(seq))))
            // etcd fails every value compare on a missing key, so the first batch of an origin
            // compares the marker's creation revision instead (0 = absent).
            : new Cmp(KvMapping.seq(marker), Cmp.Op.EQUAL, CmpTarget.createRevision(0));
    List<Op> ops = writeOps(plan);
    ops.add(
        Op.put(KvMapping.seq(marker), KvMapping.seq(OriginMarker.encode(seq)), PutOption.DEFAULT));
    return kv.txn()
        .If(guard)
        .Then(ops.toArray(Op[]::new))
        .Else(Op.get(KvMapping.seq(marker), GetOption.DEFAULT));
  }

  private static List<Op> writeOps(BatchPlan plan) {
    List<Op> ops = new ArrayList<>(plan.writes().size() + 1);
    for (BatchPlan.Write w : plan.writes()) {
      ops.add(
          w.isDelete()
              ? Op.delete(KvMapping.seq(w.key()), DeleteOption.DEFAULT)
              : Op.put(KvMapping.seq(w.key()), KvMapping.seq(w.value()), PutOption.DEFAULT));
    }
    return ops;
  }

  private void remember(String origin, boolean exists) {
    if (markerExists.size() > MAX_CACHED_ORIGINS) {
      markerExists.clear();
    }
    markerExists.put(origin, exists);
  }
}
