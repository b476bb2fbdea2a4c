package io.mapsync.raft.etcd;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.ByteString;
import io.mapsync.store.KeyRanges;
import org.junit.jupiter.api.Test;

/** Marker values compare in etcd (byte-wise) exactly as the unsigned seqs they hold. */
class OriginMarkerTest {
  @Test
  void byteOrderIsUnsignedNumericOrder() {
    long[] seqs = {0, 1, 9, 10, 99, 100, 12345678901L, Long.MAX_VALUE, Long.MIN_VALUE, -1L};
    for (long a : seqs) {
      for (long b : seqs) {
        int bytes =
            Integer.signum(KeyRanges.ORDER.compare(OriginMarker.encode(a), OriginMarker.encode(b)));
        assertEquals(Integer.signum(Long.compareUnsigned(a, b)), bytes, a + " vs " + b);
      }
    }
  }

  @Test
  void roundTrips() {
    assertEquals("00000000000000000007", OriginMarker.encode(7).toStringUtf8());
    assertEquals("18446744073709551615", OriginMarker.encode(-1L).toStringUtf8());
    assertEquals(-1L, OriginMarker.decode(OriginMarker.encode(-1L)));
    assertEquals(42, OriginMarker.decode(OriginMarker.encode(42)));
  }

  @Test
  void refusesWhatIsNotAMarker() {
    assertThrows(
        IllegalArgumentException.class, () -> OriginMarker.decode(ByteString.copyFromUtf8("7")));
    assertThrows(
        IllegalArgumentException.class,
        () -> OriginMarker.decode(ByteString.copyFromUtf8("0000000000000000000x")));
    assertThrows(
        IllegalArgumentException.class,
        () -> OriginMarker.decode(ByteString.copyFromUtf8("99999999999999999999")));
  }

  @Test
  void aMarkerCoversItsSeqAndEveryEarlierOne() {
    assertTrue(OriginMarker.covers(7, 7));
    assertTrue(OriginMarker.covers(7, 3));
    assertFalse(OriginMarker.covers(7, 8));
    assertFalse(OriginMarker.covers(7, -1L));
  }
}
