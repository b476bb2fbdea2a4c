package io.mapsync.store;

import com.google.protobuf.ByteString;
import java.nio.ByteBuffer;
import java.util.Comparator;

/** etcd's key-range conventions: [key, rangeEnd), empty end = one key, "\0" end = to infinity. */
public final class KeyRanges {
  /**
   * Unsigned byte order, the order of the key space. The same order as protobuf's {@code
   * ByteString.unsignedLexicographicalComparator()}, written out because that one boxes every byte
   * it compares: in the key space's skip list it was half the CPU of applying a batch.
   */
  public static final Comparator<ByteString> ORDER = KeyRanges::compareUnsigned;

  private static final ByteString ALL = ByteString.copyFrom(new byte[] {0});

  private KeyRanges() {}

  private static int compareUnsigned(ByteString a, ByteString b) {
    // Keys share long prefixes ("/mapsync/maps/<map>/"): ByteBuffer.mismatch compares them with
    // vector instructions instead of byte by byte.
    ByteBuffer x = a.asReadOnlyByteBuffer();
    ByteBuffer y = b.asReadOnlyByteBuffer();
    int i = x.mismatch(y);
    if (i < 0) {
      return 0;
    }
    if (i >= x.remaining() || i >= y.remaining()) {
      return x.remaining() - y.remaining();
    }
    return (x.get(x.position() + i) & 0xff) - (y.get(y.position() + i) & 0xff);
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
