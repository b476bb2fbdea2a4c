package io.mapsync.raft.etcdapi;

import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.mapsync.store.StoreException;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeoutException;

/**
 * The one place where failures become gRPC statuses. Where etcd clients match an error by its exact
 * message (clientv3's rpctypes table, jetcd's exception factory), the status carries etcd's own
 * message and code; mapsync's own refusals say "mapsync:" and why.
 */
final class EtcdApiErrors {
  static final StatusRuntimeException EMPTY_KEY = invalid("etcdserver: key is not provided");
  static final StatusRuntimeException KEY_NOT_FOUND = invalid("etcdserver: key not found");
  static final StatusRuntimeException VALUE_PROVIDED = invalid("etcdserver: value is provided");
  static final StatusRuntimeException LEASE_PROVIDED = invalid("etcdserver: lease is provided");
  static final StatusRuntimeException TOO_MANY_OPS =
      invalid("etcdserver: too many operations in txn request");
  static final StatusRuntimeException DUPLICATE_KEY =
      invalid("etcdserver: duplicate key given in txn request");
  static final String COMPACTED_MESSAGE = "etcdserver: mvcc: required revision has been compacted";
  static final StatusRuntimeException COMPACTED = status(Status.OUT_OF_RANGE, COMPACTED_MESSAGE);
  static final StatusRuntimeException FUTURE_REV =
      status(Status.OUT_OF_RANGE, "etcdserver: mvcc: required revision is a future revision");
  static final StatusRuntimeException LEASE_NOT_FOUND =
      status(Status.NOT_FOUND, "etcdserver: requested lease not found");
  static final StatusRuntimeException LEASE_EXIST =
      status(Status.FAILED_PRECONDITION, "etcdserver: lease already exists");
  static final StatusRuntimeException LEASE_TTL_TOO_LARGE =
      status(Status.OUT_OF_RANGE, "etcdserver: too large lease TTL");
  static final StatusRuntimeException MEMBER_EXIST =
      status(Status.FAILED_PRECONDITION, "etcdserver: member ID already exist");
  static final StatusRuntimeException PEER_URL_EXIST =
      status(Status.FAILED_PRECONDITION, "etcdserver: Peer URLs already exists");
  static final StatusRuntimeException MEMBER_NOT_FOUND =
      status(Status.NOT_FOUND, "etcdserver: member not found");
  static final StatusRuntimeException NO_LEADER =
      status(Status.UNAVAILABLE, "etcdserver: no leader");
  static final StatusRuntimeException NOT_LEADER =
      status(Status.FAILED_PRECONDITION, "etcdserver: not leader");
  static final StatusRuntimeException TIMEOUT =
      status(Status.UNAVAILABLE, "etcdserver: request timed out");
  static final StatusRuntimeException STOPPED =
      status(Status.UNAVAILABLE, "etcdserver: server stopped");

  static final StatusRuntimeException AUTH_FAILED =
      invalid("etcdserver: authentication failed, invalid user ID or password");
  static final StatusRuntimeException PERMISSION_DENIED =
      status(Status.PERMISSION_DENIED, "etcdserver: permission denied");
  static final StatusRuntimeException INVALID_AUTH_TOKEN =
      status(Status.UNAUTHENTICATED, "etcdserver: invalid auth token");
  static final StatusRuntimeException USER_EMPTY = invalid("etcdserver: user name is empty");
  static final StatusRuntimeException USER_ALREADY_EXIST =
      status(Status.FAILED_PRECONDITION, "etcdserver: user name already exists");
  static final StatusRuntimeException USER_NOT_FOUND =
      status(Status.FAILED_PRECONDITION, "etcdserver: user name not found");
  static final StatusRuntimeException ROLE_EMPTY = invalid("etcdserver: role name is empty");
  static final StatusRuntimeException ROLE_ALREADY_EXIST =
      status(Status.FAILED_PRECONDITION, "etcdserver: role name already exists");
  static final StatusRuntimeException ROLE_NOT_FOUND =
      status(Status.FAILED_PRECONDITION, "etcdserver: role name not found");
  static final StatusRuntimeException ROLE_NOT_GRANTED =
      status(Status.FAILED_PRECONDITION, "etcdserver: role is not granted to the user");
  static final StatusRuntimeException PERMISSION_NOT_GRANTED =
      status(Status.FAILED_PRECONDITION, "etcdserver: permission is not granted to the role");
  static final StatusRuntimeException ROOT_USER_NOT_EXIST =
      status(Status.FAILED_PRECONDITION, "etcdserver: root user does not exist");
  static final StatusRuntimeException ROOT_ROLE_NOT_EXIST =
      status(Status.FAILED_PRECONDITION, "etcdserver: root user does not have root role");
  static final StatusRuntimeException AUTH_NOT_ENABLED =
      status(Status.FAILED_PRECONDITION, "etcdserver: authentication is not enabled");
  static final StatusRuntimeException INVALID_AUTH_MGMT =
      invalid("etcdserver: invalid auth management");
  static final StatusRuntimeException AUTH_RECORDS_CHANGED =
      status(
          Status.ABORTED,
          "mapsync: the auth records changed while this call ran (another client changed them);"
              + " run it again");
  static final StatusRuntimeException AUTH_RECORDS_ARE_RESERVED =
      status(
          Status.PERMISSION_DENIED,
          "etcdserver: permission denied (mapsync: keys under /mapsync/auth/ hold the Auth"
              + " service's users and roles; change them with etcdctl user, role and auth)");

  private EtcdApiErrors() {}

  /** A request the facade refuses before it reaches the store. */
  static StatusRuntimeException invalid(String message) {
    return status(Status.INVALID_ARGUMENT, message);
  }

  /** An etcd call mapsync does not serve, with what it is and why, so nobody waits on it. */
  static StatusRuntimeException unsupported(String what, String why) {
    return Status.UNIMPLEMENTED
        .withDescription("mapsync: " + what + " is not supported: " + why)
        .asRuntimeException();
  }

  /** The status for any failure of a store or cluster call. */
  static StatusRuntimeException toStatus(Throwable failure) {
    Throwable t = unwrap(failure);
    if (t instanceof StatusRuntimeException s) {
      return s;
    }
    if (t instanceof io.grpc.StatusException s) {
      return s.getStatus().asRuntimeException(s.getTrailers());
    }
    if (t instanceof StoreException e) {
      return fromStore(e);
    }
    if (t instanceof TimeoutException) {
      return TIMEOUT;
    }
    if (t instanceof IllegalArgumentException) {
      return invalid("mapsync: " + t.getMessage());
    }
    return Status.INTERNAL.withDescription("mapsync: " + t).withCause(t).asRuntimeException();
  }

  private static StatusRuntimeException fromStore(StoreException e) {
    String message = reasonless(e);
    return switch (e.reason()) {
      case NO_LEADER -> NO_LEADER;
      case TIMEOUT -> TIMEOUT;
      case COMPACTED -> COMPACTED;
      case FUTURE_REVISION -> FUTURE_REV;
      case CLOSED -> STOPPED;
      case UNAVAILABLE, STORAGE -> status(Status.UNAVAILABLE, "mapsync: " + message);
      case REJECTED -> fromRefusal(message);
    };
  }

  /** A refused log entry: the state's reasons that have an etcd twin are reported as etcd would. */
  private static StatusRuntimeException fromRefusal(String message) {
    if (message.startsWith("requested lease not found")) {
      return LEASE_NOT_FOUND;
    }
    if (message.startsWith("lease already exists")) {
      return LEASE_EXIST;
    }
    if (message.startsWith("key not found")) {
      return KEY_NOT_FOUND;
    }
    if (message.startsWith("cannot compact to future revision")) {
      return FUTURE_REV;
    }
    return invalid("mapsync: " + message);
  }

  /** StoreException prefixes its reason to the message; clients want the words only. */
  private static String reasonless(StoreException e) {
    String message = e.getMessage();
    String prefix = e.reason() + ": ";
    return message.startsWith(prefix) ? message.substring(prefix.length()) : message;
  }

  private static Throwable unwrap(Throwable t) {
    while ((t instanceof CompletionException || t instanceof ExecutionException)
        && t.getCause() != null) {
      t = t.getCause();
    }
    return t;
  }

  private static StatusRuntimeException status(Status code, String message) {
    return code.withDescription(message).asRuntimeException();
  }
}
