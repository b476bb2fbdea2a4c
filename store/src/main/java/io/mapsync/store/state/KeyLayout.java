package io.mapsync.store.state;

import com.google.protobuf.ByteString;
import io.mapsync.store.KeyRanges;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Where mapsync keeps things in the etcd-shaped key space. Map entries are {@code
 * /mapsync/maps/<map>/<hex key>} so that {@code etcdctl get --prefix /mapsync/maps/} shows
 * replicated state readably; specs are {@code /mapsync/specs/<map>}; members' client addresses
 * {@code /mapsync/members/<id>}. Everything else under {@code /mapsync/} is reserved.
 */
public final class KeyLayout {
  public static final String ROOT = "/mapsync/";
  public static final ByteString ROOT_PREFIX = utf8(ROOT);
  public static final ByteString MAPS_PREFIX = utf8(ROOT + "maps/");
  public static final ByteString SPECS_PREFIX = utf8(ROOT + "specs/");

  /**
   * Per-origin idempotency markers kept by clients that write through the etcd API (the external
   * etcd backend): {@code /mapsync/origins/<origin>} holds the origin's last applied batch_seq.
   * Opaque to the replicas, which keep their own marks.
   */
  public static final ByteString ORIGINS_PREFIX = utf8(ROOT + "origins/");

  /**
   * Members' client (etcd API) addresses: {@code /mapsync/members/<id>} holds the host:port each
   * agent serves, written by the agent at start, so every member can list every member's address
   * (the Raft configuration carries peer addresses only).
   */
  public static final ByteString MEMBERS_PREFIX = utf8(ROOT + "members/");

  private static final Pattern MAP_NAME = Pattern.compile("[A-Za-z0-9_.-]{1,64}");
  private static final HexFormat HEX = HexFormat.of();

  private KeyLayout() {}

  /** The idempotency marker key of an origin (any non-empty string). */
  public static ByteString originKey(String origin) {
    return named(ORIGINS_PREFIX, origin, "origin");
  }

  /** The origin of a marker key, or empty if the key is not one. */
  public static Optional<String> parseOriginKey(ByteString key) {
    return nameUnder(ORIGINS_PREFIX, key);
  }

  /** The key holding a member's client address. */
  public static ByteString memberKey(String id) {
    return named(MEMBERS_PREFIX, id, "member id");
  }

  /** The member id of a client-address key, or empty if the key is not one. */
  public static Optional<String> parseMemberKey(ByteString key) {
    return nameUnder(MEMBERS_PREFIX, key);
  }

  private static ByteString named(ByteString prefix, String name, String what) {
    if (name == null || name.isEmpty()) {
      throw new IllegalArgumentException(what + " must not be empty");
    }
    return prefix.concat(utf8(name));
  }

  private static Optional<String> nameUnder(ByteString prefix, ByteString key) {
    if (!key.startsWith(prefix) || key.size() == prefix.size()) {
      return Optional.empty();
    }
    return Optional.of(key.substring(prefix.size()).toStringUtf8());
  }

  /** A map entry key decoded back into its map and raw key. */
  public record EntryKey(String map, ByteString rawKey) {}

  public static boolean validMapName(String name) {
    return name != null && MAP_NAME.matcher(name).matches();
  }

  public static ByteString mapPrefix(String map) {
    return utf8(ROOT + "maps/" + map + "/");
  }

  public static ByteString entryKey(String map, ByteString rawKey) {
    return utf8(ROOT + "maps/" + map + "/" + HEX.formatHex(rawKey.toByteArray()));
  }

  public static ByteString specKey(String map) {
    return utf8(ROOT + "specs/" + map);
  }

  /** Decodes a map entry key; empty if the key is not one (wrong prefix, bad name, bad hex). */
  public static Optional<EntryKey> parseEntryKey(ByteString key) {
    if (!key.startsWith(MAPS_PREFIX)) {
      return Optional.empty();
    }
    String rest = key.substring(MAPS_PREFIX.size()).toStringUtf8();
    int slash = rest.indexOf('/');
    if (slash <= 0) {
      return Optional.empty();
    }
    String map = rest.substring(0, slash);
    String hex = rest.substring(slash + 1);
    if (!validMapName(map) || hex.length() % 2 != 0) {
      return Optional.empty();
    }
    try {
      return Optional.of(new EntryKey(map, ByteString.copyFrom(HEX.parseHex(hex))));
    } catch (IllegalArgumentException e) {
      return Optional.empty();
    }
  }

  /**
   * The raw key of an entry key whose map prefix ({@code /mapsync/maps/<map>/}, {@code prefixSize}
   * bytes) the caller has checked; null if the rest is not hex. Same result as {@link
   * #parseEntryKey} without its strings and pattern (bootstrap decodes a million of these).
   */
  public static ByteString rawKeyAfter(ByteString key, int prefixSize) {
    int hexSize = key.size() - prefixSize;
    if (hexSize < 0 || hexSize % 2 != 0) {
      return null;
    }
    byte[] raw = new byte[hexSize / 2];
    for (int i = 0; i < raw.length; i++) {
      int hi = Character.digit(key.byteAt(prefixSize + 2 * i), 16);
      int lo = Character.digit(key.byteAt(prefixSize + 2 * i + 1), 16);
      if (hi < 0 || lo < 0) {
        return null;
      }
      raw[i] = (byte) (hi << 4 | lo);
    }
    return com.google.protobuf.UnsafeByteOperations.unsafeWrap(raw);
  }

  /** Whether {@link #rawKeyAfter} would decode the key, without decoding it. */
  public static boolean isRawKeyAfter(ByteString key, int prefixSize) {
    int hexSize = key.size() - prefixSize;
    if (hexSize < 0 || hexSize % 2 != 0) {
      return false;
    }
    for (int i = prefixSize; i < key.size(); i++) {
      if (Character.digit(key.byteAt(i), 16) < 0) {
        return false;
      }
    }
    return true;
  }

  /** The map name of a spec key, or empty. */
  public static Optional<String> parseSpecKey(ByteString key) {
    if (!key.startsWith(SPECS_PREFIX)) {
      return Optional.empty();
    }
    String name = key.substring(SPECS_PREFIX.size()).toStringUtf8();
    return validMapName(name) ? Optional.of(name) : Optional.empty();
  }

  public static boolean isReserved(ByteString key) {
    return key.startsWith(ROOT_PREFIX);
  }

  /** True if [key, rangeEnd) may contain reserved keys. */
  public static boolean touchesReserved(ByteString key, ByteString rangeEnd) {
    if (rangeEnd.isEmpty()) {
      return isReserved(key);
    }
    ByteString rootEnd = KeyRanges.prefixEnd(ROOT_PREFIX);
    boolean startsBeforeRootEnd = KeyRanges.ORDER.compare(key, rootEnd) < 0;
    boolean endsAfterRoot =
        KeyRanges.isOpenEnded(rangeEnd) || KeyRanges.ORDER.compare(rangeEnd, ROOT_PREFIX) > 0;
    return startsBeforeRootEnd && endsAfterRoot;
  }

  private static ByteString utf8(String s) {
    return ByteString.copyFrom(s, StandardCharsets.UTF_8);
  }
}
