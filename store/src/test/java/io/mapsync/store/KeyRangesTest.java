package io.mapsync.store;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.google.protobuf.ByteString;
import java.util.Comparator;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The key order is protobuf's unsigned lexicographic order. */
class KeyRangesTest {
  @Test
  void orderMatchesProtobufsUnsignedOrder() {
    Comparator<ByteString> reference = ByteString.unsignedLexicographicalComparator();
    Random r = new Random(7);
    for (int i = 0; i < 20_000; i++) {
      ByteString a = random(r);
      ByteString b = r.nextInt(4) == 0 ? a.concat(random(r)) : random(r);
      assertEquals(
          Integer.signum(reference.compare(a, b)),
          Integer.signum(KeyRanges.ORDER.compare(a, b)),
          a + " vs " + b);
    }
  }

  private static ByteString random(Random r) {
    byte[] b = new byte[r.nextInt(4)];
    r.nextBytes(b);
    return ByteString.copyFrom(b);
  }
}
