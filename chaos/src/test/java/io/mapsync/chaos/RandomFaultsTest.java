package io.mapsync.chaos;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Faults of every kind, one at a time, in an order and with holds drawn from a fixed seed (so a
 * failure can be replayed with the same seed; the soak command runs the same with other seeds).
 */
class RandomFaultsTest {
  @BeforeAll
  static void lab() {
    LabRequirements.check();
  }

  @Test
  void randomFaultsWithAFixedSeed() throws Exception {
    Scenarios.runAndCheck("random");
  }
}
