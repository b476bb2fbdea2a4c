package io.mapsync.agent.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Shell completion from picocli's generator, help with exit codes, `mapsync version`:
 * newline-terminated.
 */
class CompletionAndHelpTest {
  @TempDir Path dir;

  @Test
  void theCompletionScriptLoadsInBashAndKnowsTheCommands() throws Exception {
    CliRun r = CliRun.of("generate-completion");
    assertEquals(0, r.exitCode(), r.err());
    assertTrue(
        r.out().contains("doctor") && r.out().contains("members"),
        "commands missing from the script");
    Path script = dir.resolve("mapsync_completion");
    Files.writeString(script, r.out());
    Process bash =
        new ProcessBuilder("bash", "-c", "source " + script + " && complete -p mapsync")
            .redirectErrorStream(true)
            .start();
    assertTrue(bash.waitFor(30, TimeUnit.SECONDS));
    String out = new String(bash.getInputStream().readAllBytes());
    assertEquals(0, bash.exitValue(), out);
    assertTrue(out.contains("complete") && out.contains("mapsync"), out);
  }

  @Test
  void helpListsTheExitCodesAndEndsWithANewline() {
    CliRun r = CliRun.of("--help");
    assertEquals(0, r.exitCode());
    assertTrue(
        r.out().contains("Exit codes:") && r.out().contains("3   the store failed"), r.out());
    assertTrue(r.out().endsWith("\n"), "help does not end with a newline");
  }

  @Test
  void versionNamesMapsyncJavaAndTheKernel() {
    CliRun r = CliRun.of("version");
    assertEquals(0, r.exitCode());
    assertTrue(
        r.out().startsWith("mapsync: ") && r.out().contains("java: ") && r.out().endsWith("\n"),
        r.out());
  }
}
