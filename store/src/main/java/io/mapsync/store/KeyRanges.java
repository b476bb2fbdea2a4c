package io.mapsync.store;

import com.google.protobuf.ByteString;
import java.util.Comparator;

/** etcd's key-range conventions: [key, rangeEnd), empty end = one key, "\0" end = to infinity. */
public final class KeyRanges {
  /**
   * Unsigned byte order, the order of the key space. The same order as protobuf's
   * {@code ByteString.unsignedLexicographicalComparator()}, written out because that one boxes every
   * byte it compares: in the key space's skip list it was half the CPU of applying a batch.
   */
  public static final Comparator<ByteString> ORDER = KeyRanges::compareUnsigned;

  private static final ByteString ALL = ByteString.copyFrom(new byte[] {0});

  private KeyRanges() {}

  private static int compareUnsigned(ByteString a, ByteString b) {
    int n = Math.min(a.size(), b.size());
    for (int i = 0; i < n; i++) {
      int x = a.byteAt(i) & 0xff;
      int y = b.byteAt(i) & 0xff;
      if (x != y) {
        return x - y;
      }
    }
    return a.size() - b.size();
  }

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
