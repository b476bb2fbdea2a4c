package io.mapsync.store;

import com.google.protobuf.ByteString;
import java.util.Comparator;

/** etcd's key-range conventions: [key, rangeEnd), empty end = one key, "\0" end = to infinity. */
public final class KeyRanges {
  /** Unsigned byte order, the order of the key space. */
  public static final Comparator<ByteString> ORDER = ByteString.unsignedLexicographicalComparator();

  private static final ByteString ALL = ByteString.copyFrom(new byte[] {0});

  private KeyRanges() {}

  /** The smallest key greater than every key starting with prefix ("\0" if there is none). */
  public static ByteString prefixEnd(ByteString prefix) {
    byte[] end = prefix.toByteArray();
    for (int i = end.length - 1; i >= 0; i--) {
      if (end[i] != (byte) 0xff) {
        end[i]++;
        return ByteString.copyFrom(end, 0, i + 1);
      }
    }
    return ALL;
  }

  /** True if rangeEnd means "no upper bound". */
  public static boolean isOpenEnded(ByteString rangeEnd) {
    return rangeEnd.equals(ALL);
  }

  public static boolean contains(ByteString key, ByteString rangeEnd, ByteString k) {
    if (rangeEnd.isEmpty()) {
      return key.equals(k);
    }
    if (ORDER.compare(k, key) < 0) {
      return false;
    }
    return isOpenEnded(rangeEnd) || ORDER.compare(k, rangeEnd) < 0;
  }
}
