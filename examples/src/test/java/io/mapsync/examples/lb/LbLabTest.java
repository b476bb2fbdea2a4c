package io.mapsync.examples.lb;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/** A test class that shares one {@link LbLab} (topology, backends, client) across its tests. */
abstract class LbLabTest {
  static LbLab lab;

  @BeforeAll
  static void openLab() throws Exception {
    lab = LbLab.open();
  }

  @AfterAll
  static void closeLab() throws Exception {
    if (lab != null) {
      lab.close();
      lab = null;
    }
  }
}
