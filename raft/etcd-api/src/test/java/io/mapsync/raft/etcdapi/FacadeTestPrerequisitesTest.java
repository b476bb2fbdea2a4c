package io.mapsync.raft.etcdapi;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.opentest4j.AssertionFailedError;
import org.opentest4j.TestAbortedException;

/** A missing prerequisite skips a test, or fails it when MAPSYNC_REQUIRE_ALL=1. */
class FacadeTestPrerequisitesTest {
  @Test
  void aMissingPrerequisiteSkipsOrUnderRequireAllFails() {
    Class<? extends Throwable> expected =
        FacadeTestPrerequisites.requireAll()
            ? AssertionFailedError.class
            : TestAbortedException.class;
    Throwable t =
        assertThrows(
            expected,
            () -> FacadeTestPrerequisites.require(false, "the moon is not made of cheese"));
    assertTrue(t.getMessage().contains("the moon is not made of cheese"));
    FacadeTestPrerequisites.require(true, "never shown");
    assertTrue(
        FacadeTestPrerequisites.findTool("definitely-not-a-tool-" + System.nanoTime()).isEmpty());
  }
}
