package io.mapsync.raft.etcdapi;

import com.google.protobuf.ByteString;
import io.etcd.jetcd.api.DeleteRangeRequest;
import io.etcd.jetcd.api.PutRequest;
import io.etcd.jetcd.api.RangeRequest;
import io.etcd.jetcd.api.RequestOp;
import io.etcd.jetcd.api.TxnRequest;
import io.mapsync.store.KeyRanges;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * The checks etcd makes on KV requests before they reach consensus, with etcd's errors, so a bad
 * request fails the same way it would against etcd and never costs a log entry.
 */
final class RequestChecks {
  /** etcd's default --max-txn-ops. */
  static final int MAX_TXN_OPS = 128;

  private RequestChecks() {}

  static void range(RangeRequest r) {
    requireKey(r.getKey());
  }

  static void put(PutRequest r) {
    requireKey(r.getKey());
    if (r.getIgnoreValue() && !r.getValue().isEmpty()) {
      throw EtcdApiErrors.VALUE_PROVIDED;
    }
    if (r.getIgnoreLease() && r.getLease() != 0) {
      throw EtcdApiErrors.LEASE_PROVIDED;
    }
  }

  static void delete(DeleteRangeRequest r) {
    requireKey(r.getKey());
  }

  static void txn(TxnRequest r) {
    if (r.getCompareCount() > MAX_TXN_OPS
        || r.getSuccessCount() > MAX_TXN_OPS
        || r.getFailureCount() > MAX_TXN_OPS) {
      throw EtcdApiErrors.TOO_MANY_OPS;
    }
    ops(r.getSuccessList());
    ops(r.getFailureList());
  }

  private static void ops(List<RequestOp> ops) {
    for (RequestOp op : ops) {
      switch (op.getRequestCase()) {
        case REQUEST_RANGE -> range(op.getRequestRange());
        case REQUEST_PUT -> put(op.getRequestPut());
        case REQUEST_DELETE_RANGE -> delete(op.getRequestDeleteRange());
        case REQUEST_TXN -> txn(op.getRequestTxn());
        default -> throw EtcdApiErrors.invalid("mapsync: a txn operation carries no request");
      }
    }
    noOverlappingWrites(ops);
  }

  /** etcd refuses a branch that writes one key twice: which write wins would be a guess. */
  private static void noOverlappingWrites(List<RequestOp> ops) {
    Set<ByteString> puts = new TreeSet<>(KeyRanges.ORDER);
    List<DeleteRangeRequest> deletes = new ArrayList<>();
    for (RequestOp op : ops) {
      if (op.hasRequestPut() && !puts.add(op.getRequestPut().getKey())) {
        throw EtcdApiErrors.DUPLICATE_KEY;
      }
      if (op.hasRequestDeleteRange()) {
        deletes.add(op.getRequestDeleteRange());
      }
    }
    for (DeleteRangeRequest d : deletes) {
      for (ByteString key : puts) {
        if (KeyRanges.contains(d.getKey(), d.getRangeEnd(), key)) {
          throw EtcdApiErrors.DUPLICATE_KEY;
        }
      }
    }
  }

  private static void requireKey(ByteString key) {
    if (key.isEmpty()) {
      throw EtcdApiErrors.EMPTY_KEY;
    }
  }
}
