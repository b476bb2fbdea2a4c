package io.mapsync.chaos.history;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import org.junit.jupiter.api.Test;

class KeyValueTest {
  @Test
  void keysRoundTripAndKeepTheirSpace() {
    for (Key k :
        new Key[] {
          new Key(Key.Space.MAP, 0), new Key(Key.Space.CLIENT, 2015), new Key(Key.Space.MAP, 63)
        }) {
      assertEquals(k, Key.of(k.bytes()));
      assertEquals(8, k.bytes().length);
    }
    assertEquals("4300000000000007", new Key(Key.Space.CLIENT, 7).hex());
    assertNull(Key.of(new byte[8]), "a key without a space tag is not traffic");
  }

  @Test
  void valuesNameTheOperationThatWroteThem() {
    assertEquals(123456789L, Value.forOp(123456789L).opId());
    assertEquals(-1, new Value(new byte[16]).opId());
    assertEquals(Value.forOp(5), Value.forOp(5));
  }
}
