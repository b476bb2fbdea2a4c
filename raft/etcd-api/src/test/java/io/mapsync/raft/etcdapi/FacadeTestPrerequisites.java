package io.mapsync.raft.etcdapi;

import static org.junit.jupiter.api.Assertions.fail;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Assumptions;

/**
 * What a test needs from the machine. A missing tool skips the test with the reason printed, unless
 * MAPSYNC_REQUIRE_ALL=1 (CI), where the same condition fails it: CI must never go green on tests
 * that did not run.
 */
final class FacadeTestPrerequisites {
  private FacadeTestPrerequisites() {}

  static boolean requireAll() {
    return "1".equals(System.getenv("MAPSYNC_REQUIRE_ALL"));
  }

  /** Skips (or, under MAPSYNC_REQUIRE_ALL=1, fails) unless the condition holds. */
  static void require(boolean condition, String reason) {
    if (condition) {
      return;
    }
    if (requireAll()) {
      fail("required by MAPSYNC_REQUIRE_ALL=1 but unavailable: " + reason);
    }
    System.out.println("SKIPPED: " + reason);
    Assumptions.abort(reason);
  }

  /** An executable on the PATH, or empty. */
  static Optional<Path> findTool(String name) {
    for (String dir :
        System.getenv().getOrDefault("PATH", "/usr/local/bin:/usr/bin:/bin").split(":")) {
      Path candidate = Path.of(dir, name);
      if (Files.isExecutable(candidate)) {
        return Optional.of(candidate);
      }
    }
    return Optional.empty();
  }

  /** The tool's path; skips or fails the test when it is not installed. */
  static Path tool(String name, String installHint) {
    Optional<Path> found = findTool(name);
    require(found.isPresent(), "'" + name + "' is not installed (" + installHint + ")");
    return found.orElseThrow();
  }
}
