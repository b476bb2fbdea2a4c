package io.mapsync.raft.etcdapi;

import io.etcd.jetcd.api.Compare;
import io.etcd.jetcd.api.DeleteRangeRequest;
import io.etcd.jetcd.api.DeleteRangeResponse;
import io.etcd.jetcd.api.KeyValue;
import io.etcd.jetcd.api.PutRequest;
import io.etcd.jetcd.api.PutResponse;
import io.etcd.jetcd.api.RangeRequest;
import io.etcd.jetcd.api.RangeResponse;
import io.etcd.jetcd.api.RequestOp;
import io.etcd.jetcd.api.ResponseHeader;
import io.etcd.jetcd.api.ResponseOp;
import io.etcd.jetcd.api.TxnRequest;
import io.etcd.jetcd.api.TxnResponse;
import io.mapsync.wire.DeleteResult;
import io.mapsync.wire.KvCompare;
import io.mapsync.wire.KvDeleteRange;
import io.mapsync.wire.KvOp;
import io.mapsync.wire.KvPut;
import io.mapsync.wire.KvRange;
import io.mapsync.wire.KvTxn;
import io.mapsync.wire.OpResult;
import io.mapsync.wire.PutResult;
import io.mapsync.wire.RangeResult;
import io.mapsync.wire.TxnResult;
import java.util.ArrayList;
import java.util.List;

/**
 * Translates etcd's KV messages to mapsync's key-space messages and back. The two were designed to
 * match field for field; what differs is handled here: etcd's sort options, the lease compare that
 * jetcd's copy of etcd's proto lacks, and mapsync's origin fields, which etcd has no place for.
 */
final class KvTranslator {
  /** etcd's Compare.lease; jetcd-grpc's proto predates it, so it arrives as an unknown field. */
  private static final int COMPARE_LEASE_FIELD = 8;

  private KvTranslator() {}

  static KvRange range(RangeRequest r) {
    boolean sortHere = RangeSorting.reorders(r) && !r.getCountOnly();
    return KvRange.newBuilder()
        .setKey(r.getKey())
        .setRangeEnd(r.getRangeEnd())
        .setLimit(sortHere ? 0 : Math.max(0, r.getLimit()))
        .setRevision(r.getRevision())
        .setKeysOnly(r.getKeysOnly())
        .setCountOnly(r.getCountOnly())
        .setMinModRevision(r.getMinModRevision())
        .setMaxModRevision(r.getMaxModRevision())
        .setMinCreateRevision(r.getMinCreateRevision())
        .setMaxCreateRevision(r.getMaxCreateRevision())
        .build();
  }

  static KvPut put(PutRequest r) {
    return KvPut.newBuilder()
        .setKey(r.getKey())
        .setValue(r.getValue())
        .setLease(r.getLease())
        .setPrevKv(r.getPrevKv())
        .setIgnoreValue(r.getIgnoreValue())
        .setIgnoreLease(r.getIgnoreLease())
        .build();
  }

  static KvDeleteRange delete(DeleteRangeRequest r) {
    return KvDeleteRange.newBuilder()
        .setKey(r.getKey())
        .setRangeEnd(r.getRangeEnd())
        .setPrevKv(r.getPrevKv())
        .build();
  }

  /** A single put or delete is a transaction of one unconditional operation. */
  static KvTxn single(KvOp op) {
    return KvTxn.newBuilder().addSuccess(op).build();
  }

  static KvTxn txn(TxnRequest r) {
    KvTxn.Builder txn = KvTxn.newBuilder();
    r.getCompareList().forEach(c -> txn.addCompare(compare(c)));
    r.getSuccessList().forEach(op -> txn.addSuccess(op(op)));
    r.getFailureList().forEach(op -> txn.addFailure(op(op)));
    return txn.build();
  }

  static KvOp op(RequestOp op) {
    return switch (op.getRequestCase()) {
      case REQUEST_RANGE -> KvOp.newBuilder().setRange(range(op.getRequestRange())).build();
      case REQUEST_PUT -> KvOp.newBuilder().setPut(put(op.getRequestPut())).build();
      case REQUEST_DELETE_RANGE ->
          KvOp.newBuilder().setDeleteRange(delete(op.getRequestDeleteRange())).build();
      case REQUEST_TXN -> KvOp.newBuilder().setTxn(txn(op.getRequestTxn())).build();
      default -> throw EtcdApiErrors.invalid("mapsync: a txn operation carries no request");
    };
  }

  static KvCompare compare(Compare c) {
    KvCompare.Result result = KvCompare.Result.forNumber(c.getResultValue());
    KvCompare.Target target = KvCompare.Target.forNumber(c.getTargetValue());
    if (result == null || target == null) {
      throw EtcdApiErrors.invalid(
          "mapsync: unknown compare (result "
              + c.getResultValue()
              + ", target "
              + c.getTargetValue()
              + ")");
    }
    KvCompare.Builder out =
        KvCompare.newBuilder()
            .setResult(result)
            .setTarget(target)
            .setKey(c.getKey())
            .setRangeEnd(c.getRangeEnd());
    switch (target) {
      case VERSION -> out.setVersion(c.getVersion());
      case CREATE -> out.setCreateRevision(c.getCreateRevision());
      case MOD -> out.setModRevision(c.getModRevision());
      case VALUE -> out.setValue(c.getValue());
      case LEASE -> out.setLease(compareLease(c));
      default -> throw EtcdApiErrors.invalid("mapsync: unknown compare target " + target);
    }
    return out.build();
  }

  private static long compareLease(Compare c) {
    List<Long> values = c.getUnknownFields().getField(COMPARE_LEASE_FIELD).getVarintList();
    return values.isEmpty() ? 0 : values.get(values.size() - 1);
  }

  static KeyValue kv(io.mapsync.wire.KeyValue kv) {
    return KeyValue.newBuilder()
        .setKey(kv.getKey())
        .setCreateRevision(kv.getCreateRevision())
        .setModRevision(kv.getModRevision())
        .setVersion(kv.getVersion())
        .setValue(kv.getValue())
        .setLease(kv.getLease())
        .build();
  }

  static RangeResponse rangeResponse(RangeRequest req, RangeResult res, ResponseHeader header) {
    List<KeyValue> kvs = new ArrayList<>(res.getKvsCount());
    res.getKvsList().forEach(kv -> kvs.add(kv(kv)));
    RangeResponse.Builder out =
        RangeResponse.newBuilder().setHeader(header).setCount(res.getCount());
    if (RangeSorting.reorders(req) && !req.getCountOnly()) {
      List<KeyValue> sent = RangeSorting.sortAndLimit(req, kvs);
      return out.addAllKvs(sent).setMore(sent.size() < kvs.size()).build();
    }
    return out.addAllKvs(kvs).setMore(res.getMore()).build();
  }

  static PutResponse putResponse(PutResult res, ResponseHeader header) {
    PutResponse.Builder out = PutResponse.newBuilder().setHeader(header);
    if (res.hasPrevKv()) {
      out.setPrevKv(kv(res.getPrevKv()));
    }
    return out.build();
  }

  static DeleteRangeResponse deleteResponse(DeleteResult res, ResponseHeader header) {
    DeleteRangeResponse.Builder out =
        DeleteRangeResponse.newBuilder().setHeader(header).setDeleted(res.getDeleted());
    res.getPrevKvsList().forEach(kv -> out.addPrevKvs(kv(kv)));
    return out.build();
  }

  /** The request is needed too: a range inside the transaction may ask for a sort. */
  static TxnResponse txnResponse(TxnRequest req, TxnResult res, ResponseHeader header) {
    List<RequestOp> ran = res.getSucceeded() ? req.getSuccessList() : req.getFailureList();
    if (ran.size() != res.getResponsesCount()) {
      throw new IllegalStateException(
          "txn ran " + ran.size() + " operations but answered " + res.getResponsesCount());
    }
    TxnResponse.Builder out =
        TxnResponse.newBuilder().setHeader(header).setSucceeded(res.getSucceeded());
    for (int i = 0; i < ran.size(); i++) {
      out.addResponses(responseOp(ran.get(i), res.getResponses(i), header));
    }
    return out.build();
  }

  private static ResponseOp responseOp(RequestOp op, OpResult res, ResponseHeader header) {
    return switch (res.getResultCase()) {
      case RANGE ->
          ResponseOp.newBuilder()
              .setResponseRange(rangeResponse(op.getRequestRange(), res.getRange(), header))
              .build();
      case PUT -> ResponseOp.newBuilder().setResponsePut(putResponse(res.getPut(), header)).build();
      case DELETE_RANGE ->
          ResponseOp.newBuilder()
              .setResponseDeleteRange(deleteResponse(res.getDeleteRange(), header))
              .build();
      case TXN ->
          ResponseOp.newBuilder()
              .setResponseTxn(txnResponse(op.getRequestTxn(), res.getTxn(), header))
              .build();
      default -> throw new IllegalStateException("txn answered an operation with no result");
    };
  }
}
