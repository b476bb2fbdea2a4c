package io.mapsync.raft.etcdapi;

import io.etcd.jetcd.api.CompactionRequest;
import io.etcd.jetcd.api.CompactionResponse;
import io.etcd.jetcd.api.DeleteRangeRequest;
import io.etcd.jetcd.api.DeleteRangeResponse;
import io.etcd.jetcd.api.KVGrpc;
import io.etcd.jetcd.api.PutRequest;
import io.etcd.jetcd.api.PutResponse;
import io.etcd.jetcd.api.RangeRequest;
import io.etcd.jetcd.api.RangeResponse;
import io.etcd.jetcd.api.TxnRequest;
import io.etcd.jetcd.api.TxnResponse;
import io.grpc.stub.StreamObserver;
import io.mapsync.store.state.ReplicaState;
import io.mapsync.wire.Compact;
import io.mapsync.wire.KvOp;
import io.mapsync.wire.LogEntry;
import io.mapsync.wire.RangeResult;
import java.util.concurrent.CompletableFuture;

/**
 * etcd's KV service over the replicated key space. Reads are linearizable through the store, or
 * served from this member's replica when the client asks for a serializable read; every write is
 * one log entry, so the revision in the header is the entry's log position.
 *
 * <p>Compaction: etcd's "compact at R" keeps revision R readable and watchable, while the store's
 * compact revision is the last one it forgot. So etcd's R is the store's R - 1, and a read or watch
 * is compacted when it asks for a revision at or below the store's compact revision.
 */
final class KvService extends KVGrpc.KVImplBase {
  private final ClusterCalls calls;
  private final ResponseHeaders headers;

  KvService(ClusterCalls calls, ResponseHeaders headers) {
    this.calls = calls;
    this.headers = headers;
  }

  @Override
  public void range(RangeRequest req, StreamObserver<RangeResponse> out) {
    Replies.answer(
        out,
        () -> {
          RequestChecks.range(req);
          ReplicaState local = calls.local();
          if (req.getRevision() > 0 && req.getRevision() <= local.compactRevision()) {
            throw EtcdApiErrors.COMPACTED;
          }
          CompletableFuture<RangeResult> read =
              req.getSerializable()
                  ? CompletableFuture.completedFuture(local.range(KvTranslator.range(req)))
                  : calls.cluster().store().range(KvTranslator.range(req));
          return read.thenApply(
              res -> KvTranslator.rangeResponse(req, res, headers.at(servedAt(res))));
        });
  }

  /** Backends that do not say what revision a read saw get this replica's, which is close. */
  private long servedAt(RangeResult res) {
    return res.getRevision() > 0 ? res.getRevision() : calls.local().revision();
  }

  @Override
  public void put(PutRequest req, StreamObserver<PutResponse> out) {
    Replies.answer(
        out,
        () -> {
          RequestChecks.put(req);
          return calls
              .txn(KvTranslator.single(KvOp.newBuilder().setPut(KvTranslator.put(req)).build()))
              .thenApply(
                  r ->
                      KvTranslator.putResponse(
                          r.getTxn().getResponses(0).getPut(), headers.at(r.getRevision())));
        });
  }

  @Override
  public void deleteRange(DeleteRangeRequest req, StreamObserver<DeleteRangeResponse> out) {
    Replies.answer(
        out,
        () -> {
          RequestChecks.delete(req);
          return calls
              .txn(
                  KvTranslator.single(
                      KvOp.newBuilder().setDeleteRange(KvTranslator.delete(req)).build()))
              .thenApply(
                  r ->
                      KvTranslator.deleteResponse(
                          r.getTxn().getResponses(0).getDeleteRange(),
                          headers.at(r.getRevision())));
        });
  }

  @Override
  public void txn(TxnRequest req, StreamObserver<TxnResponse> out) {
    Replies.answer(
        out,
        () -> {
          RequestChecks.txn(req);
          return calls
              .txn(KvTranslator.txn(req))
              .thenApply(
                  r -> KvTranslator.txnResponse(req, r.getTxn(), headers.at(r.getRevision())));
        });
  }

  @Override
  public void compact(CompactionRequest req, StreamObserver<CompactionResponse> out) {
    Replies.answer(
        out,
        () -> {
          ReplicaState local = calls.local();
          long forgotten = local.compactRevision();
          long etcdCompacted = forgotten == 0 ? 0 : forgotten + 1;
          if (req.getRevision() <= etcdCompacted) {
            throw EtcdApiErrors.COMPACTED;
          }
          if (req.getRevision() > local.revision()) {
            throw EtcdApiErrors.FUTURE_REV;
          }
          long storeRevision = req.getRevision() - 1;
          if (storeRevision <= forgotten) {
            // Compacting at revision 1 forgets nothing.
            return CompletableFuture.completedFuture(
                CompactionResponse.newBuilder().setHeader(headers.at(local.revision())).build());
          }
          return calls
              .append(
                  LogEntry.newBuilder()
                      .setCompact(Compact.newBuilder().setRevision(storeRevision))
                      .build())
              .thenApply(
                  r ->
                      CompactionResponse.newBuilder()
                          .setHeader(headers.at(r.getRevision()))
                          .build());
        });
  }
}
