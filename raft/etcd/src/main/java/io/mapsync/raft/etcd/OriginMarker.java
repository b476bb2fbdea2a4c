package io.mapsync.raft.etcd;

import com.google.protobuf.ByteString;
import java.nio.charset.StandardCharsets;

/**
 * The value of an origin's idempotency marker ({@code /mapsync/origins/<origin>}): the last applied
 * batch_seq as 20 zero-padded decimal digits, so that etcd's byte-wise value compare orders markers
 * like the unsigned numbers they hold. A batch's txn applies only if the stored marker is below the
 * batch's seq, and moves it to that seq.
 */
final class OriginMarker {
  /** Digits of the largest unsigned 64-bit number. */
  static final int WIDTH = 20;

  private OriginMarker() {}

  static ByteString encode(long batchSeq) {
    String digits = Long.toUnsignedString(batchSeq);
    return ByteString.copyFrom(
        "0".repeat(WIDTH - digits.length()) + digits, StandardCharsets.US_ASCII);
  }

  /** The batch_seq a stored marker holds; throws if the value is not a marker. */
  static long decode(ByteString value) {
    String s = value.toString(StandardCharsets.US_ASCII);
    if (s.length() != WIDTH || !s.chars().allMatch(Character::isDigit)) {
      throw new IllegalArgumentException("not an origin marker: '" + s + "'");
    }
    return Long.parseUnsignedLong(s);
  }

  /** True if a batch with this seq is already covered by the stored marker. */
  static boolean covers(long storedSeq, long batchSeq) {
    return Long.compareUnsigned(batchSeq, storedSeq) <= 0;
  }
}
