package io.mapsync.chaos.fault;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class FaultsTest {
  @Test
  void everyNameMakesTheFaultOfThatName() {
    for (String name : Faults.names()) {
      assertEquals(name, Faults.named(name).name());
    }
    assertEquals(24, Faults.names().size());
  }

  @Test
  void anUnknownNameListsTheKnownOnes() {
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> Faults.named("kill-everyone"));
    assertEquals(true, e.getMessage().contains("kill-leader"));
  }
}
