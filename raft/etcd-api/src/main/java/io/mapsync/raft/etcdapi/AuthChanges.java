package io.mapsync.raft.etcdapi;

import com.google.protobuf.ByteString;
import io.etcd.jetcd.api.Compare;
import io.etcd.jetcd.api.DeleteRangeRequest;
import io.etcd.jetcd.api.Permission;
import io.etcd.jetcd.api.PutRequest;
import io.etcd.jetcd.api.RequestOp;
import io.etcd.jetcd.api.ResponseHeader;
import io.etcd.jetcd.api.Role;
import io.etcd.jetcd.api.TxnRequest;
import io.etcd.jetcd.api.User;
import io.grpc.stub.StreamObserver;
import io.mapsync.store.KeyRanges;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;

/**
 * The changes the Auth service makes, each planned from the records as read and written as one txn
 * that holds only if none of the records it touches changed meanwhile (two admins on two members
 * cannot lose each other's change). The checks and errors are etcd's.
 */
final class AuthChanges {
  private static final SecureRandom RANDOM = new SecureRandom();
  private final ClusterCalls calls;
  private final AuthStore store;

  AuthChanges(ClusterCalls calls, AuthStore store) {
    this.calls = calls;
    this.store = store;
  }

  /** Plans from the latest records, writes the plan (none: nothing to change), answers. */
  <T> void apply(
      StreamObserver<T> out,
      Function<AuthRecords, TxnRequest> plan,
      Function<ResponseHeader, T> reply,
      ResponseHeaders headers) {
    Replies.answer(
        out,
        () ->
            store
                .latest()
                .thenCompose(
                    records -> {
                      TxnRequest txn = plan.apply(records);
                      if (txn == null) {
                        return CompletableFuture.completedFuture(
                            reply.apply(headers.at(calls.local().revision())));
                      }
                      return calls
                          .txn(KvTranslator.txn(txn))
                          .thenApply(
                              res -> {
                                if (!res.getTxn().getSucceeded()) {
                                  throw EtcdApiErrors.AUTH_RECORDS_CHANGED;
                                }
                                return reply.apply(headers.at(res.getRevision()));
                              });
                    }));
  }

  static TxnRequest enable(AuthRecords r) {
    User root = r.user(AuthRecords.ROOT).orElseThrow(() -> EtcdApiErrors.ROOT_USER_NOT_EXIST);
    if (!root.getRolesList().contains(AuthRecords.ROOT)) {
      throw EtcdApiErrors.ROOT_ROLE_NOT_EXIST;
    }
    if (r.enabled()) {
      return null;
    }
    Plan plan = new Plan(r).guard(AuthRecords.userKey(AuthRecords.ROOT));
    if (r.tokenKey().isEmpty()) {
      byte[] key = new byte[32];
      RANDOM.nextBytes(key);
      plan.put(AuthRecords.TOKEN_KEY_KEY, ByteString.copyFrom(key));
    }
    return plan.put(AuthRecords.ENABLED_KEY, ByteString.copyFromUtf8("true")).build();
  }

  static TxnRequest disable(AuthRecords r) {
    if (!r.enabled()) {
      return null;
    }
    return new Plan(r).put(AuthRecords.ENABLED_KEY, ByteString.copyFromUtf8("false")).build();
  }

  static TxnRequest userAdd(AuthRecords r, String name, String passwordHash) {
    if (name.isEmpty()) {
      throw EtcdApiErrors.USER_EMPTY;
    }
    if (r.users().containsKey(name)) {
      throw EtcdApiErrors.USER_ALREADY_EXIST;
    }
    User user =
        User.newBuilder()
            .setName(ByteString.copyFromUtf8(name))
            .setPassword(ByteString.copyFromUtf8(passwordHash))
            .build();
    return new Plan(r).put(AuthRecords.userKey(name), user.toByteString()).build();
  }

  static TxnRequest userChangePassword(AuthRecords r, String name, String passwordHash) {
    User user = existing(r, name);
    return new Plan(r)
        .put(
            AuthRecords.userKey(name),
            user.toBuilder()
                .setPassword(ByteString.copyFromUtf8(passwordHash))
                .build()
                .toByteString())
        .build();
  }

  static TxnRequest userDelete(AuthRecords r, String name) {
    if (r.enabled() && name.equals(AuthRecords.ROOT)) {
      throw EtcdApiErrors.INVALID_AUTH_MGMT;
    }
    existing(r, name);
    return new Plan(r).delete(AuthRecords.userKey(name)).build();
  }

  static TxnRequest userGrantRole(AuthRecords r, String name, String role) {
    User user = existing(r, name);
    if (!role.equals(AuthRecords.ROOT) && !r.roles().containsKey(role)) {
      throw EtcdApiErrors.ROLE_NOT_FOUND;
    }
    if (user.getRolesList().contains(role)) {
      return null;
    }
    TreeSet<String> roles = new TreeSet<>(user.getRolesList());
    roles.add(role);
    Plan plan = new Plan(r);
    if (!role.equals(AuthRecords.ROOT)) {
      plan.guard(AuthRecords.roleKey(role));
    }
    return plan.put(AuthRecords.userKey(name), withRoles(user, roles)).build();
  }

  static TxnRequest userRevokeRole(AuthRecords r, String name, String role) {
    User user = existing(r, name);
    if (r.enabled() && name.equals(AuthRecords.ROOT) && role.equals(AuthRecords.ROOT)) {
      throw EtcdApiErrors.INVALID_AUTH_MGMT;
    }
    if (!user.getRolesList().contains(role)) {
      throw EtcdApiErrors.ROLE_NOT_GRANTED;
    }
    TreeSet<String> roles = new TreeSet<>(user.getRolesList());
    roles.remove(role);
    return new Plan(r).put(AuthRecords.userKey(name), withRoles(user, roles)).build();
  }

  static TxnRequest roleAdd(AuthRecords r, String name) {
    if (name.isEmpty()) {
      throw EtcdApiErrors.ROLE_EMPTY;
    }
    if (r.roles().containsKey(name)) {
      throw EtcdApiErrors.ROLE_ALREADY_EXIST;
    }
    Role role = Role.newBuilder().setName(ByteString.copyFromUtf8(name)).build();
    return new Plan(r).put(AuthRecords.roleKey(name), role.toByteString()).build();
  }

  /** As etcd does, deleting a role also takes it from every user that had it. */
  static TxnRequest roleDelete(AuthRecords r, String name) {
    if (r.enabled() && name.equals(AuthRecords.ROOT)) {
      throw EtcdApiErrors.INVALID_AUTH_MGMT;
    }
    if (!r.roles().containsKey(name)) {
      throw EtcdApiErrors.ROLE_NOT_FOUND;
    }
    Plan plan = new Plan(r).delete(AuthRecords.roleKey(name));
    for (User user : r.users().values()) {
      if (user.getRolesList().contains(name)) {
        TreeSet<String> roles = new TreeSet<>(user.getRolesList());
        roles.remove(name);
        plan.put(AuthRecords.userKey(user.getName().toStringUtf8()), withRoles(user, roles));
      }
    }
    return plan.build();
  }

  /** A permission on the same key range as one the role has replaces it (its type changes). */
  static TxnRequest roleGrantPermission(AuthRecords r, String name, Permission perm) {
    Role role = existingRole(r, name);
    List<Permission> perms = new ArrayList<>();
    for (Permission p : role.getKeyPermissionList()) {
      if (!sameRange(p, perm.getKey(), perm.getRangeEnd())) {
        perms.add(p);
      }
    }
    perms.add(perm);
    perms.sort((a, b) -> KeyRanges.ORDER.compare(a.getKey(), b.getKey()));
    return new Plan(r)
        .put(
            AuthRecords.roleKey(name),
            role.toBuilder().clearKeyPermission().addAllKeyPermission(perms).build().toByteString())
        .build();
  }

  static TxnRequest roleRevokePermission(
      AuthRecords r, String name, ByteString key, ByteString rangeEnd) {
    Role role = existingRole(r, name);
    List<Permission> perms = new ArrayList<>(role.getKeyPermissionList());
    if (!perms.removeIf(p -> sameRange(p, key, rangeEnd))) {
      throw EtcdApiErrors.PERMISSION_NOT_GRANTED;
    }
    return new Plan(r)
        .put(
            AuthRecords.roleKey(name),
            role.toBuilder().clearKeyPermission().addAllKeyPermission(perms).build().toByteString())
        .build();
  }

  private static boolean sameRange(Permission p, ByteString key, ByteString rangeEnd) {
    return p.getKey().equals(key) && p.getRangeEnd().equals(rangeEnd);
  }

  private static User existing(AuthRecords r, String name) {
    return r.user(name).orElseThrow(() -> EtcdApiErrors.USER_NOT_FOUND);
  }

  private static Role existingRole(AuthRecords r, String name) {
    Role role = r.roles().get(name);
    if (role == null) {
      throw EtcdApiErrors.ROLE_NOT_FOUND;
    }
    return role;
  }

  private static ByteString withRoles(User user, TreeSet<String> roles) {
    return user.toBuilder().clearRoles().addAllRoles(roles).build().toByteString();
  }

  /** A txn over auth records that holds only if each record it names is as it was read. */
  private static final class Plan {
    private final AuthRecords read;
    private final TxnRequest.Builder txn = TxnRequest.newBuilder();

    Plan(AuthRecords read) {
      this.read = read;
    }

    Plan guard(ByteString key) {
      txn.addCompare(
          Compare.newBuilder()
              .setKey(key)
              .setTarget(Compare.CompareTarget.MOD)
              .setResult(Compare.CompareResult.EQUAL)
              .setModRevision(read.modRevision(key)));
      return this;
    }

    Plan put(ByteString key, ByteString value) {
      guard(key);
      txn.addSuccess(
          RequestOp.newBuilder()
              .setRequestPut(PutRequest.newBuilder().setKey(key).setValue(value)));
      return this;
    }

    Plan delete(ByteString key) {
      guard(key);
      txn.addSuccess(
          RequestOp.newBuilder()
              .setRequestDeleteRange(DeleteRangeRequest.newBuilder().setKey(key)));
      return this;
    }

    TxnRequest build() {
      return txn.build();
    }
  }
}
