package io.mapsync.lab;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.opentest4j.AssertionFailedError;
import org.opentest4j.TestAbortedException;

/**
 * What a test needs from the machine, checked in one place for every module. A missing piece skips
 * the test with the reason printed, unless MAPSYNC_REQUIRE_ALL=1 (CI, where everything is installed
 * and we are root): there the same condition fails it, so CI never goes green on tests that did not
 * run.
 */
public final class Prerequisites {
  /** The environment variable that turns skips into failures. */
  public static final String REQUIRE_ALL = "MAPSYNC_REQUIRE_ALL";

  private Prerequisites() {}

  public static boolean requireAll() {
    return "1".equals(System.getenv(REQUIRE_ALL));
  }

  /** Skips (or, under MAPSYNC_REQUIRE_ALL=1, fails) the test unless the condition holds. */
  public static void require(boolean condition, String reason) {
    if (condition) {
      return;
    }
    if (requireAll()) {
      throw new AssertionFailedError(
          "required by " + REQUIRE_ALL + "=1 but unavailable: " + reason);
    }
    System.out.println("SKIPPED: " + reason);
    throw new TestAbortedException(reason);
  }

  /** The tool's path; skips or fails the test when it is not installed. */
  public static Path tool(String name, String installHint) {
    var found = Shell.findTool(name);
    require(found.isPresent(), "'" + name + "' is not installed (" + installHint + ")");
    return found.orElseThrow();
  }

  /** The tool's path; skips or fails the test when it is not installed. */
  public static Path tool(String name) {
    return tool(name, "install the package that provides it");
  }

  /** An executable at a fixed path (a binary a variable may point elsewhere). */
  public static Path executable(Path path, String installHint) {
    require(Files.isExecutable(path), "no executable at " + path + " (" + installHint + ")");
    return path;
  }

  /** This process runs as root (BPF, namespaces, nftables). */
  public static void root(String why) {
    require(uid() == 0, why + " needs root (uid " + uid() + ")");
  }

  /** `ip netns add` works here. */
  public static void networkNamespaces() {
    String probe = "mapsync-probe-" + ProcessHandle.current().pid();
    boolean ok;
    try {
      Shell.run("ip", "netns", "add", probe);
      ok = true;
    } catch (IOException e) {
      System.out.println("network namespaces: " + e.getMessage());
      ok = false;
    } finally {
      Shell.quietly("ip", "netns", "del", probe);
    }
    require(ok, "cannot create network namespaces (ip netns add) here");
  }

  static int uid() {
    try {
      return (Integer) Files.getAttribute(Path.of("/proc/self"), "unix:uid");
    } catch (IOException | UnsupportedOperationException e) {
      return -1;
    }
  }
}
