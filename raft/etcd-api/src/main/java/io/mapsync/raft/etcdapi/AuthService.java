package io.mapsync.raft.etcdapi;

import io.etcd.jetcd.api.AuthDisableRequest;
import io.etcd.jetcd.api.AuthDisableResponse;
import io.etcd.jetcd.api.AuthEnableRequest;
import io.etcd.jetcd.api.AuthEnableResponse;
import io.etcd.jetcd.api.AuthGrpc;
import io.etcd.jetcd.api.AuthRoleAddRequest;
import io.etcd.jetcd.api.AuthRoleAddResponse;
import io.etcd.jetcd.api.AuthRoleDeleteRequest;
import io.etcd.jetcd.api.AuthRoleDeleteResponse;
import io.etcd.jetcd.api.AuthRoleGetRequest;
import io.etcd.jetcd.api.AuthRoleGetResponse;
import io.etcd.jetcd.api.AuthRoleGrantPermissionRequest;
import io.etcd.jetcd.api.AuthRoleGrantPermissionResponse;
import io.etcd.jetcd.api.AuthRoleListRequest;
import io.etcd.jetcd.api.AuthRoleListResponse;
import io.etcd.jetcd.api.AuthRoleRevokePermissionRequest;
import io.etcd.jetcd.api.AuthRoleRevokePermissionResponse;
import io.etcd.jetcd.api.AuthUserAddRequest;
import io.etcd.jetcd.api.AuthUserAddResponse;
import io.etcd.jetcd.api.AuthUserChangePasswordRequest;
import io.etcd.jetcd.api.AuthUserChangePasswordResponse;
import io.etcd.jetcd.api.AuthUserDeleteRequest;
import io.etcd.jetcd.api.AuthUserDeleteResponse;
import io.etcd.jetcd.api.AuthUserGetRequest;
import io.etcd.jetcd.api.AuthUserGetResponse;
import io.etcd.jetcd.api.AuthUserGrantRoleRequest;
import io.etcd.jetcd.api.AuthUserGrantRoleResponse;
import io.etcd.jetcd.api.AuthUserListRequest;
import io.etcd.jetcd.api.AuthUserListResponse;
import io.etcd.jetcd.api.AuthUserRevokeRoleRequest;
import io.etcd.jetcd.api.AuthUserRevokeRoleResponse;
import io.etcd.jetcd.api.AuthenticateRequest;
import io.etcd.jetcd.api.AuthenticateResponse;
import io.etcd.jetcd.api.ResponseHeader;
import io.etcd.jetcd.api.Role;
import io.etcd.jetcd.api.User;
import io.grpc.stub.StreamObserver;
import java.util.function.LongSupplier;

/**
 * etcd's Auth service: users, roles, key-range permissions, auth enable/disable and tokens, kept as
 * {@link AuthRecords} in the replicated key space so every member checks the same rules. Each
 * change is one conditional log entry on the records it read; {@link AuthGate} decides who may call
 * what.
 */
final class AuthService extends AuthGrpc.AuthImplBase {
  private final ClusterCalls calls;
  private final AuthStore store;
  private final AuthChanges changes;
  private final ResponseHeaders headers;
  private final LongSupplier clock;

  AuthService(ClusterCalls calls, AuthStore store, ResponseHeaders headers, LongSupplier clock) {
    this.calls = calls;
    this.store = store;
    this.changes = new AuthChanges(calls, store);
    this.headers = headers;
    this.clock = clock;
  }

  @Override
  public void authEnable(AuthEnableRequest req, StreamObserver<AuthEnableResponse> out) {
    changes.apply(
        out,
        AuthChanges::enable,
        h -> AuthEnableResponse.newBuilder().setHeader(h).build(),
        headers);
  }

  @Override
  public void authDisable(AuthDisableRequest req, StreamObserver<AuthDisableResponse> out) {
    changes.apply(
        out,
        AuthChanges::disable,
        h -> AuthDisableResponse.newBuilder().setHeader(h).build(),
        headers);
  }

  @Override
  public void authenticate(AuthenticateRequest req, StreamObserver<AuthenticateResponse> out) {
    Replies.answer(
        out,
        () ->
            store
                .latest()
                // PBKDF2 takes a while: off the store's threads.
                .thenApplyAsync(
                    r -> {
                      if (!r.enabled()) {
                        throw EtcdApiErrors.AUTH_NOT_ENABLED;
                      }
                      User u = r.users().get(req.getName());
                      if (u == null
                          || u.getPassword().isEmpty()
                          || !PasswordHashes.matches(
                              req.getPassword(), u.getPassword().toStringUtf8())) {
                        throw EtcdApiErrors.AUTH_FAILED;
                      }
                      String token =
                          AuthTokens.issue(
                              r.tokenKey().toByteArray(),
                              req.getName(),
                              u.getPassword().toStringUtf8(),
                              clock.getAsLong());
                      return AuthenticateResponse.newBuilder()
                          .setHeader(headers.at(calls.local().revision()))
                          .setToken(token)
                          .build();
                    }));
  }

  @Override
  public void userAdd(AuthUserAddRequest req, StreamObserver<AuthUserAddResponse> out) {
    // Hashed before the records are read: the conditional write then follows the read at once.
    String hash = req.getPassword().isEmpty() ? "" : PasswordHashes.hash(req.getPassword());
    changes.apply(
        out,
        r -> AuthChanges.userAdd(r, req.getName(), hash),
        h -> AuthUserAddResponse.newBuilder().setHeader(h).build(),
        headers);
  }

  @Override
  public void userChangePassword(
      AuthUserChangePasswordRequest req, StreamObserver<AuthUserChangePasswordResponse> out) {
    String hash = PasswordHashes.hash(req.getPassword());
    changes.apply(
        out,
        r -> AuthChanges.userChangePassword(r, req.getName(), hash),
        h -> AuthUserChangePasswordResponse.newBuilder().setHeader(h).build(),
        headers);
  }

  @Override
  public void userDelete(AuthUserDeleteRequest req, StreamObserver<AuthUserDeleteResponse> out) {
    changes.apply(
        out,
        r -> AuthChanges.userDelete(r, req.getName()),
        h -> AuthUserDeleteResponse.newBuilder().setHeader(h).build(),
        headers);
  }

  @Override
  public void userGrantRole(
      AuthUserGrantRoleRequest req, StreamObserver<AuthUserGrantRoleResponse> out) {
    changes.apply(
        out,
        r -> AuthChanges.userGrantRole(r, req.getUser(), req.getRole()),
        h -> AuthUserGrantRoleResponse.newBuilder().setHeader(h).build(),
        headers);
  }

  @Override
  public void userRevokeRole(
      AuthUserRevokeRoleRequest req, StreamObserver<AuthUserRevokeRoleResponse> out) {
    changes.apply(
        out,
        r -> AuthChanges.userRevokeRole(r, req.getName(), req.getRole()),
        h -> AuthUserRevokeRoleResponse.newBuilder().setHeader(h).build(),
        headers);
  }

  @Override
  public void roleAdd(AuthRoleAddRequest req, StreamObserver<AuthRoleAddResponse> out) {
    changes.apply(
        out,
        r -> AuthChanges.roleAdd(r, req.getName()),
        h -> AuthRoleAddResponse.newBuilder().setHeader(h).build(),
        headers);
  }

  @Override
  public void roleDelete(AuthRoleDeleteRequest req, StreamObserver<AuthRoleDeleteResponse> out) {
    changes.apply(
        out,
        r -> AuthChanges.roleDelete(r, req.getRole()),
        h -> AuthRoleDeleteResponse.newBuilder().setHeader(h).build(),
        headers);
  }

  @Override
  public void roleGrantPermission(
      AuthRoleGrantPermissionRequest req, StreamObserver<AuthRoleGrantPermissionResponse> out) {
    changes.apply(
        out,
        r -> AuthChanges.roleGrantPermission(r, req.getName(), req.getPerm()),
        h -> AuthRoleGrantPermissionResponse.newBuilder().setHeader(h).build(),
        headers);
  }

  @Override
  public void roleRevokePermission(
      AuthRoleRevokePermissionRequest req, StreamObserver<AuthRoleRevokePermissionResponse> out) {
    changes.apply(
        out,
        r -> AuthChanges.roleRevokePermission(r, req.getRole(), req.getKey(), req.getRangeEnd()),
        h -> AuthRoleRevokePermissionResponse.newBuilder().setHeader(h).build(),
        headers);
  }

  @Override
  public void userGet(AuthUserGetRequest req, StreamObserver<AuthUserGetResponse> out) {
    read(
        out,
        (r, h) -> {
          User u = r.user(req.getName()).orElseThrow(() -> EtcdApiErrors.USER_NOT_FOUND);
          return AuthUserGetResponse.newBuilder()
              .setHeader(h)
              .addAllRoles(u.getRolesList())
              .build();
        });
  }

  @Override
  public void userList(AuthUserListRequest req, StreamObserver<AuthUserListResponse> out) {
    read(
        out,
        (r, h) ->
            AuthUserListResponse.newBuilder().setHeader(h).addAllUsers(r.users().keySet()).build());
  }

  @Override
  public void roleGet(AuthRoleGetRequest req, StreamObserver<AuthRoleGetResponse> out) {
    read(
        out,
        (r, h) -> {
          Role role = r.roles().get(req.getRole());
          if (role == null) {
            throw EtcdApiErrors.ROLE_NOT_FOUND;
          }
          return AuthRoleGetResponse.newBuilder()
              .setHeader(h)
              .addAllPerm(role.getKeyPermissionList())
              .build();
        });
  }

  @Override
  public void roleList(AuthRoleListRequest req, StreamObserver<AuthRoleListResponse> out) {
    read(
        out,
        (r, h) ->
            AuthRoleListResponse.newBuilder().setHeader(h).addAllRoles(r.roles().keySet()).build());
  }

  private interface Reader<T> {
    T answer(AuthRecords records, ResponseHeader header);
  }

  private <T> void read(StreamObserver<T> out, Reader<T> reader) {
    Replies.answer(
        out,
        () ->
            store.latest().thenApply(r -> reader.answer(r, headers.at(calls.local().revision()))));
  }
}
