package io.mapsync.lab;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.opentest4j.AssertionFailedError;
import org.opentest4j.TestAbortedException;

/** The skip rule must be able to skip and to fail, or every test built on it proves nothing. */
class PrerequisitesTest {
  @Test
  void aMissingPrerequisiteSkipsOrUnderRequireAllFails() {
    Class<? extends Throwable> expected =
        Prerequisites.requireAll() ? AssertionFailedError.class : TestAbortedException.class;
    Throwable t =
        assertThrows(
            expected, () -> Prerequisites.require(false, "the moon is not made of cheese"));
    assertTrue(t.getMessage().contains("the moon is not made of cheese"), t.getMessage());
    Prerequisites.require(true, "never shown");
  }

  @Test
  void toolsAreFoundOnThePathAndMissingOnesAreNamed() {
    assertTrue(Shell.findTool("definitely-not-a-tool-" + System.nanoTime()).isEmpty());
    Path sh = Prerequisites.tool("sh");
    assertEquals("sh", sh.getFileName().toString());
    String missing = "definitely-not-a-tool-" + System.nanoTime();
    Throwable t = assertThrows(Throwable.class, () -> Prerequisites.tool(missing, "apt-get it"));
    assertTrue(t.getMessage().contains(missing) && t.getMessage().contains("apt-get it"));
  }
}
