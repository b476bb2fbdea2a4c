package io.mapsync.raft.etcd;

import com.google.protobuf.ByteString;
import io.etcd.jetcd.ByteSequence;
import io.etcd.jetcd.kv.DeleteResponse;
import io.etcd.jetcd.kv.GetResponse;
import io.etcd.jetcd.kv.PutResponse;
import io.etcd.jetcd.kv.TxnResponse;
import io.etcd.jetcd.op.Cmp;
import io.etcd.jetcd.op.CmpTarget;
import io.etcd.jetcd.op.Op;
import io.etcd.jetcd.options.DeleteOption;
import io.etcd.jetcd.options.GetOption;
import io.etcd.jetcd.options.PutOption;
import io.mapsync.store.StoreException;
import io.mapsync.wire.DeleteResult;
import io.mapsync.wire.KeyValue;
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
import java.util.Iterator;
import java.util.List;

/**
 * Translates mapsync's etcd-shaped messages (wire {@code Kv*}) to jetcd requests and jetcd
 * responses back. jetcd's txn API has no range compares, no lease compares and no
 * ignore_value/ignore_lease puts; those are refused rather than silently changed.
 */
final class KvMapping {
  private KvMapping() {}

  static ByteSequence seq(ByteString bytes) {
    return ByteSequence.from(bytes);
  }

  static ByteString bytes(ByteSequence seq) {
    return ByteString.copyFrom(seq.getBytes());
  }

  static KeyValue toWire(io.etcd.jetcd.KeyValue kv) {
    return KeyValue.newBuilder()
        .setKey(bytes(kv.getKey()))
        .setValue(bytes(kv.getValue()))
        .setCreateRevision(kv.getCreateRevision())
        .setModRevision(kv.getModRevision())
        .setVersion(kv.getVersion())
        .setLease(kv.getLease())
        .build();
  }

  static GetOption getOption(KvRange r) {
    GetOption.Builder b =
        GetOption.builder()
            .withLimit(r.getLimit())
            .withRevision(r.getRevision())
            .withKeysOnly(r.getKeysOnly())
            .withCountOnly(r.getCountOnly())
            .withMinModRevision(r.getMinModRevision())
            .withMaxModRevision(r.getMaxModRevision())
            .withMinCreateRevision(r.getMinCreateRevision())
            .withMaxCreateRevision(r.getMaxCreateRevision());
    if (!r.getRangeEnd().isEmpty()) {
      // jetcd maps the "\0" end (to infinity) onto the end of the namespace (the cluster prefix).
      b.withRange(seq(r.getRangeEnd()));
    }
    return b.build();
  }

  static RangeResult toWire(GetResponse response) {
    RangeResult.Builder out =
        RangeResult.newBuilder().setMore(response.isMore()).setCount(response.getCount());
    response.getKvs().forEach(kv -> out.addKvs(toWire(kv)));
    return out.build();
  }

  static Cmp toCmp(KvCompare c) {
    if (!c.getRangeEnd().isEmpty()) {
      throw unsupported("compares over a key range (range_end)");
    }
    CmpTarget<?> target =
        switch (c.getTarget()) {
          case VERSION -> CmpTarget.version(c.getVersion());
          case CREATE -> CmpTarget.createRevision(c.getCreateRevision());
          case MOD -> CmpTarget.modRevision(c.getModRevision());
          case VALUE -> CmpTarget.value(seq(c.getValue()));
          default -> throw unsupported("compare target " + c.getTarget());
        };
    Cmp.Op op =
        switch (c.getResult()) {
          case EQUAL -> Cmp.Op.EQUAL;
          case NOT_EQUAL -> Cmp.Op.NOT_EQUAL;
          case GREATER -> Cmp.Op.GREATER;
          case LESS -> Cmp.Op.LESS;
          default -> throw unsupported("compare result " + c.getResult());
        };
    return new Cmp(seq(c.getKey()), op, target);
  }

  static Op toOp(KvOp op) {
    return switch (op.getOpCase()) {
      case RANGE -> Op.get(seq(op.getRange().getKey()), getOption(op.getRange()));
      case PUT -> put(op.getPut());
      case DELETE_RANGE -> delete(op.getDeleteRange());
      case TXN ->
          Op.txn(
              op.getTxn().getCompareList().stream().map(KvMapping::toCmp).toArray(Cmp[]::new),
              ops(op.getTxn().getSuccessList()),
              ops(op.getTxn().getFailureList()));
      default ->
          throw new StoreException(
              StoreException.Reason.REJECTED, "empty operation in transaction");
    };
  }

  static Op[] ops(List<KvOp> ops) {
    return ops.stream().map(KvMapping::toOp).toArray(Op[]::new);
  }

  private static Op put(KvPut put) {
    if (put.getIgnoreValue() || put.getIgnoreLease()) {
      throw unsupported("ignore_value and ignore_lease puts");
    }
    PutOption.Builder b = PutOption.builder().withLeaseId(put.getLease());
    if (put.getPrevKv()) {
      b.withPrevKV();
    }
    return Op.put(seq(put.getKey()), seq(put.getValue()), b.build());
  }

  private static Op delete(KvDeleteRange del) {
    DeleteOption.Builder b = DeleteOption.builder().withPrevKV(del.getPrevKv());
    if (!del.getRangeEnd().isEmpty()) {
      b.withRange(seq(del.getRangeEnd()));
    }
    return Op.delete(seq(del.getKey()), b.build());
  }

  /**
   * Rebuilds the ordered responses of a txn. jetcd groups them by kind; within a kind they keep the
   * order of the requests, so walking the executed branch puts them back in place.
   */
  static TxnResult toWire(KvTxn txn, TxnResponse response) {
    List<KvOp> executed = response.isSucceeded() ? txn.getSuccessList() : txn.getFailureList();
    Iterator<GetResponse> gets = response.getGetResponses().iterator();
    Iterator<PutResponse> puts = response.getPutResponses().iterator();
    Iterator<DeleteResponse> deletes = response.getDeleteResponses().iterator();
    Iterator<TxnResponse> txns = response.getTxnResponses().iterator();
    TxnResult.Builder out = TxnResult.newBuilder().setSucceeded(response.isSucceeded());
    for (KvOp op : executed) {
      OpResult.Builder r = OpResult.newBuilder();
      switch (op.getOpCase()) {
        case RANGE -> r.setRange(toWire(gets.next()));
        case PUT -> {
          PutResponse p = puts.next();
          PutResult.Builder pr = PutResult.newBuilder();
          if (p.hasPrevKv()) {
            pr.setPrevKv(toWire(p.getPrevKv()));
          }
          r.setPut(pr);
        }
        case DELETE_RANGE -> {
          DeleteResponse d = deletes.next();
          DeleteResult.Builder dr = DeleteResult.newBuilder().setDeleted(d.getDeleted());
          d.getPrevKvs().forEach(kv -> dr.addPrevKvs(toWire(kv)));
          r.setDeleteRange(dr);
        }
        case TXN -> r.setTxn(toWire(op.getTxn(), txns.next()));
        default -> {}
      }
      out.addResponses(r);
    }
    return out.build();
  }

  private static StoreException unsupported(String what) {
    return new StoreException(
        StoreException.Reason.REJECTED,
        what + " cannot be sent through jetcd's txn API; the etcd backend does not support them");
  }
}
