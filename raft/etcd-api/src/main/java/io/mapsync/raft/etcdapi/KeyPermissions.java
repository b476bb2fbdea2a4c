package io.mapsync.raft.etcdapi;

import com.google.protobuf.ByteString;
import io.etcd.jetcd.api.Permission;
import io.etcd.jetcd.api.Role;
import io.etcd.jetcd.api.User;
import io.mapsync.store.KeyRanges;
import io.mapsync.store.state.KeyLayout;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Whether a user's roles grant reading or writing a key or a key range, as etcd decides it: the
 * role "root" may do everything; otherwise the permissions of the wanted type, merged, must cover
 * the whole range. The auth records themselves are root's only, whatever a role was granted.
 */
final class KeyPermissions {
  private KeyPermissions() {}

  static boolean permits(
      AuthRecords records, String user, boolean write, ByteString key, ByteString rangeEnd) {
    if (records.isAdmin(user)) {
      return true;
    }
    if (touchesAuth(key, rangeEnd)) {
      return false;
    }
    User u = records.users().get(user);
    if (u == null) {
      return false;
    }
    List<ByteString[]> granted = new ArrayList<>();
    for (String roleName : u.getRolesList()) {
      Role role = records.roles().get(roleName);
      if (role == null) {
        continue;
      }
      for (Permission p : role.getKeyPermissionList()) {
        if (p.getPermType() == Permission.Type.READWRITE
            || p.getPermType() == (write ? Permission.Type.WRITE : Permission.Type.READ)) {
          granted.add(new ByteString[] {p.getKey(), endOf(p.getKey(), p.getRangeEnd())});
        }
      }
    }
    return covers(granted, key, endOf(key, rangeEnd));
  }

  /** True if [key, rangeEnd) may hold an auth record. */
  static boolean touchesAuth(ByteString key, ByteString rangeEnd) {
    if (rangeEnd.isEmpty()) {
      return KeyLayout.isAuthKey(key);
    }
    ByteString authEnd = KeyRanges.prefixEnd(KeyLayout.AUTH_PREFIX);
    return KeyRanges.ORDER.compare(key, authEnd) < 0
        && (KeyRanges.isOpenEnded(rangeEnd)
            || KeyRanges.ORDER.compare(rangeEnd, KeyLayout.AUTH_PREFIX) > 0);
  }

  /** A single key is the range [key, key + 0x00). */
  private static ByteString endOf(ByteString key, ByteString rangeEnd) {
    return rangeEnd.isEmpty() ? key.concat(ByteString.copyFrom(new byte[] {0})) : rangeEnd;
  }

  /** Sweeps the granted ranges in key order from the wanted start; a gap means not covered. */
  private static boolean covers(List<ByteString[]> granted, ByteString key, ByteString end) {
    granted.sort(Comparator.comparing((ByteString[] r) -> r[0], KeyRanges.ORDER));
    ByteString reached = key;
    for (ByteString[] r : granted) {
      if (KeyRanges.ORDER.compare(r[0], reached) > 0) {
        break;
      }
      if (KeyRanges.isOpenEnded(r[1])) {
        return true;
      }
      if (KeyRanges.ORDER.compare(r[1], reached) > 0) {
        reached = r[1];
      }
    }
    return !KeyRanges.isOpenEnded(end) && KeyRanges.ORDER.compare(reached, end) >= 0;
  }
}
