package io.mapsync.raft.etcdapi;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.opentest4j.AssertionFailedError;
import org.opentest4j.TestAbortedException;

/** A missing prerequisite skips a test, or fails it when MAPSYNC_REQUIRE_ALL=1. */
class PrerequisitesTest {
  @Test
  void aMissingPrerequisiteSkipsOrUnderRequireAllFails() {
    Class<? extends Throwable> expected = Prerequisites.requireAll() ? AssertionFailedError.class : TestAbortedException.class;
    Throwable t = assertThrows(expected, () -> Prerequisites.require(false, "the moon is not made of cheese"));
    assertTrue(t.getMessage().contains("the moon is not made of cheese"));
    Prerequisites.require(true, "never shown");
    assertTrue(Prerequisites.findTool("definitely-not-a-tool-" + System.nanoTime()).isEmpty());
  }
}
