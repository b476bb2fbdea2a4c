package io.mapsync.raft.etcd;

import org.junit.jupiter.api.Assumptions;

/**
 * Turns a missing piece of the environment (no etcd binary, ...) into a skipped test that says why,
 * or, when {@code MAPSYNC_REQUIRE_ALL=1} is set (as in CI), into a failure: a suite that silently
 * skips its real-cluster tests must not pass there.
 */
public final class EtcdTestPrerequisites {
  public static final String REQUIRE_ALL = "MAPSYNC_REQUIRE_ALL";

  private EtcdTestPrerequisites() {}

  /**
   * Does nothing if the prerequisite is met; otherwise skips, or fails under MAPSYNC_REQUIRE_ALL=1.
   */
  public static void require(boolean met, String missing) {
    if (met) {
      return;
    }
    if ("1".equals(System.getenv(REQUIRE_ALL))) {
      throw new AssertionError(
          "prerequisite missing: " + missing + " (" + REQUIRE_ALL + "=1 makes this a failure)");
    }
    System.out.println("SKIPPED: prerequisite missing: " + missing);
    System.err.println("SKIPPED: prerequisite missing: " + missing);
    Assumptions.abort("prerequisite missing: " + missing);
  }
}
