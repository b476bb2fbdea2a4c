package io.mapsync.raft.etcdapi;

import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import io.etcd.jetcd.api.Role;
import io.etcd.jetcd.api.User;
import io.mapsync.store.KeyRanges;
import io.mapsync.store.state.KeyLayout;
import io.mapsync.wire.KeyValue;
import io.mapsync.wire.KvRange;
import io.mapsync.wire.RangeResult;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The Auth service's records as they stand in the replicated key space under {@code
 * /mapsync/auth/}: {@code enabled}, {@code token-key}, {@code users/<name>} (etcd's authpb.User,
 * its password field holding a {@link PasswordHashes} hash) and {@code roles/<name>} (authpb.Role).
 * Each record keeps its mod revision, so a change can be made conditional on what was read.
 */
record AuthRecords(
    boolean enabled,
    ByteString tokenKey,
    Map<String, User> users,
    Map<String, Role> roles,
    Map<ByteString, Long> modRevisions) {
  static final String ROOT = "root";
  static final ByteString ENABLED_KEY = key("enabled");
  static final ByteString TOKEN_KEY_KEY = key("token-key");
  private static final ByteString USERS = key("users/");
  private static final ByteString ROLES = key("roles/");

  static final AuthRecords NONE =
      new AuthRecords(false, ByteString.EMPTY, Map.of(), Map.of(), Map.of());

  /** The range to read to get every record. */
  static KvRange range() {
    return KvRange.newBuilder()
        .setKey(KeyLayout.AUTH_PREFIX)
        .setRangeEnd(KeyRanges.prefixEnd(KeyLayout.AUTH_PREFIX))
        .build();
  }

  static ByteString userKey(String name) {
    return USERS.concat(ByteString.copyFromUtf8(name));
  }

  static ByteString roleKey(String name) {
    return ROLES.concat(ByteString.copyFromUtf8(name));
  }

  static AuthRecords parse(RangeResult records) {
    boolean enabled = false;
    ByteString tokenKey = ByteString.EMPTY;
    Map<String, User> users = new TreeMap<>();
    Map<String, Role> roles = new TreeMap<>();
    Map<ByteString, Long> mods = new TreeMap<>(KeyRanges.ORDER);
    for (KeyValue kv : records.getKvsList()) {
      ByteString k = kv.getKey();
      mods.put(k, kv.getModRevision());
      try {
        if (k.equals(ENABLED_KEY)) {
          enabled = kv.getValue().toStringUtf8().equals("true");
        } else if (k.equals(TOKEN_KEY_KEY)) {
          tokenKey = kv.getValue();
        } else if (k.startsWith(USERS)) {
          User u = User.parseFrom(kv.getValue());
          users.put(u.getName().toStringUtf8(), u);
        } else if (k.startsWith(ROLES)) {
          Role r = Role.parseFrom(kv.getValue());
          roles.put(r.getName().toStringUtf8(), r);
        }
      } catch (InvalidProtocolBufferException e) {
        // Only the facade writes here and clients' KV writes are refused; a record that does not
        // parse is skipped rather than taking the whole client port down.
      }
    }
    return new AuthRecords(enabled, tokenKey, users, roles, mods);
  }

  boolean isEmpty() {
    return modRevisions.isEmpty();
  }

  long modRevision(ByteString key) {
    return modRevisions.getOrDefault(key, 0L);
  }

  Optional<User> user(String name) {
    return Optional.ofNullable(users.get(name));
  }

  boolean isAdmin(String user) {
    return user(user).map(u -> u.getRolesList().contains(ROOT)).orElse(false);
  }

  /** What a user's tokens are bound to: the stored password hash (empty if no such user). */
  Optional<String> tokenBinding(String user) {
    return user(user).map(u -> u.getPassword().toStringUtf8());
  }

  private static ByteString key(String rest) {
    return KeyLayout.AUTH_PREFIX.concat(ByteString.copyFrom(rest, StandardCharsets.UTF_8));
  }
}
