package io.mapsync.raft.etcdapi;

import com.google.protobuf.ByteString;
import io.etcd.jetcd.api.AuthenticateRequest;
import io.etcd.jetcd.api.DeleteRangeRequest;
import io.etcd.jetcd.api.LeaseGrantRequest;
import io.etcd.jetcd.api.LeaseKeepAliveRequest;
import io.etcd.jetcd.api.LeaseRevokeRequest;
import io.etcd.jetcd.api.LeaseTimeToLiveRequest;
import io.etcd.jetcd.api.MemberListRequest;
import io.etcd.jetcd.api.PutRequest;
import io.etcd.jetcd.api.RangeRequest;
import io.etcd.jetcd.api.RequestOp;
import io.etcd.jetcd.api.StatusRequest;
import io.etcd.jetcd.api.TxnRequest;
import io.etcd.jetcd.api.WatchCreateRequest;
import io.etcd.jetcd.api.WatchRequest;
import io.grpc.Grpc;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.StatusRuntimeException;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.LongSupplier;

/**
 * Who may call what, once auth is enabled: the caller is the user its token names (etcdctl --user,
 * jetcd's user/password), or else the common name of its client certificate (as etcd's
 * --client-cert-auth). Each request message is checked against that user's key-range permissions
 * before it reaches a service; user and role management, compaction and membership changes are
 * root's. Writes to the auth records through the KV calls are refused whether auth is on or off.
 */
final class AuthGate extends MessageGate {
  static final Metadata.Key<String> TOKEN =
      Metadata.Key.of("token", Metadata.ASCII_STRING_MARSHALLER);
  static final Metadata.Key<String> AUTHORIZATION =
      Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER);

  private final AuthStore store;
  private final ClusterCalls calls;
  private final LongSupplier clock;

  AuthGate(AuthStore store, ClusterCalls calls, LongSupplier clock) {
    this.store = store;
    this.calls = calls;
    this.clock = clock;
  }

  @Override
  Function<Object, StatusRuntimeException> judge(ServerCall<?, ?> call, Metadata headers) {
    String token = headers.get(TOKEN) != null ? headers.get(TOKEN) : headers.get(AUTHORIZATION);
    Optional<String> commonName =
        ReadOnlyClients.commonName(call.getAttributes().get(Grpc.TRANSPORT_ATTR_SSL_SESSION));
    return message -> check(message, token, commonName);
  }

  /** Null if the message may pass, else the status to close the call with. */
  StatusRuntimeException check(Object message, String token, Optional<String> commonName) {
    AuthRecords records = store.local();
    if (writesAuthRecords(message, records)) {
      return EtcdApiErrors.AUTH_RECORDS_ARE_RESERVED;
    }
    if (!records.enabled() || isOpen(message)) {
      return null;
    }
    String user;
    if (token != null) {
      Optional<String> named =
          AuthTokens.verify(
              records.tokenKey().toByteArray(), token, records::tokenBinding, clock.getAsLong());
      if (named.isEmpty()) {
        return EtcdApiErrors.INVALID_AUTH_TOKEN;
      }
      user = named.get();
    } else if (commonName.isPresent()) {
      user = commonName.get();
    } else {
      return EtcdApiErrors.USER_EMPTY;
    }
    return permitted(records, user, message) ? null : EtcdApiErrors.PERMISSION_DENIED;
  }

  /** Calls etcd serves to any caller: logging in, leases, the member list and status. */
  private static boolean isOpen(Object m) {
    return m instanceof AuthenticateRequest
        || m instanceof LeaseGrantRequest
        || m instanceof LeaseKeepAliveRequest
        || m instanceof LeaseTimeToLiveRequest
        // LeaseLeases, which jetcd's protos lack, arrives as raw bytes (LeaseListMethod).
        || m instanceof byte[]
        || m instanceof MemberListRequest
        || m instanceof StatusRequest
        || m instanceof WatchRequest w && !w.hasCreateRequest();
  }

  private boolean permitted(AuthRecords r, String user, Object m) {
    if (m instanceof RangeRequest q) {
      return read(r, user, q.getKey(), q.getRangeEnd());
    }
    if (m instanceof PutRequest p) {
      return write(r, user, p.getKey(), ByteString.EMPTY)
          && (!p.getPrevKv() || read(r, user, p.getKey(), ByteString.EMPTY));
    }
    if (m instanceof DeleteRangeRequest d) {
      return write(r, user, d.getKey(), d.getRangeEnd())
          && (!d.getPrevKv() || read(r, user, d.getKey(), d.getRangeEnd()));
    }
    if (m instanceof TxnRequest t) {
      return txn(r, user, t);
    }
    if (m instanceof WatchRequest w) {
      WatchCreateRequest c = w.getCreateRequest();
      return read(r, user, c.getKey(), c.getRangeEnd());
    }
    if (m instanceof LeaseRevokeRequest l) {
      // etcd: revoking deletes the lease's keys, so the caller must be allowed to delete them.
      for (ByteString key : calls.local().leaseKeys(l.getID())) {
        if (!write(r, user, key, ByteString.EMPTY)) {
          return false;
        }
      }
      return true;
    }
    // Users, roles, auth on/off, compaction, membership, alarms, defragment, snapshots.
    return r.isAdmin(user);
  }

  private static boolean txn(AuthRecords r, String user, TxnRequest t) {
    for (var c : t.getCompareList()) {
      if (!read(r, user, c.getKey(), c.getRangeEnd())) {
        return false;
      }
    }
    return ops(r, user, t.getSuccessList()) && ops(r, user, t.getFailureList());
  }

  private static boolean ops(AuthRecords r, String user, List<RequestOp> ops) {
    for (RequestOp op : ops) {
      boolean ok =
          switch (op.getRequestCase()) {
            case REQUEST_RANGE ->
                read(r, user, op.getRequestRange().getKey(), op.getRequestRange().getRangeEnd());
            case REQUEST_PUT ->
                write(r, user, op.getRequestPut().getKey(), ByteString.EMPTY)
                    && (!op.getRequestPut().getPrevKv()
                        || read(r, user, op.getRequestPut().getKey(), ByteString.EMPTY));
            case REQUEST_DELETE_RANGE ->
                write(
                        r,
                        user,
                        op.getRequestDeleteRange().getKey(),
                        op.getRequestDeleteRange().getRangeEnd())
                    && (!op.getRequestDeleteRange().getPrevKv()
                        || read(
                            r,
                            user,
                            op.getRequestDeleteRange().getKey(),
                            op.getRequestDeleteRange().getRangeEnd()));
            case REQUEST_TXN -> txn(r, user, op.getRequestTxn());
            default -> true;
          };
      if (!ok) {
        return false;
      }
    }
    return true;
  }

  private static boolean read(AuthRecords r, String user, ByteString key, ByteString end) {
    return KeyPermissions.permits(r, user, false, key, end);
  }

  private static boolean write(AuthRecords r, String user, ByteString key, ByteString end) {
    return KeyPermissions.permits(r, user, true, key, end);
  }

  /**
   * A KV write that would change an auth record: any put there, and a delete over a range that
   * holds one (a wide delete over a key space without auth records still passes).
   */
  private static boolean writesAuthRecords(Object m, AuthRecords records) {
    if (m instanceof PutRequest p) {
      return KeyPermissions.touchesAuth(p.getKey(), ByteString.EMPTY);
    }
    if (m instanceof DeleteRangeRequest d) {
      return !records.isEmpty() && KeyPermissions.touchesAuth(d.getKey(), d.getRangeEnd());
    }
    if (m instanceof TxnRequest t) {
      return writesAuthRecords(t.getSuccessList(), records)
          || writesAuthRecords(t.getFailureList(), records);
    }
    return false;
  }

  private static boolean writesAuthRecords(List<RequestOp> ops, AuthRecords records) {
    for (RequestOp op : ops) {
      if (op.hasRequestPut() && writesAuthRecords(op.getRequestPut(), records)
          || op.hasRequestDeleteRange() && writesAuthRecords(op.getRequestDeleteRange(), records)
          || op.hasRequestTxn() && writesAuthRecords(op.getRequestTxn(), records)) {
        return true;
      }
    }
    return false;
  }
}
