package io.mapsync.chaos.run;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.mapsync.chaos.check.Violation;
import io.mapsync.chaos.scenario.Scenario;
import io.mapsync.chaos.scenario.ScenarioCatalog;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * `mapsync chaos` exit codes: 0 a pass, 1 a violation or too little exercised, 2 a bad command
 * line.
 */
class ChaosExitCodeTest {
  private static final Scenario KILL_LEADER = ScenarioCatalog.named("kill-leader");

  private static Report report(List<Violation> violations, int faults, long acknowledged) {
    Figures f = new Figures(acknowledged, 0, 10, 0, 900, "kill-leader at 3000 ms", 400, 0);
    return new Report(
        "kill-leader",
        1,
        violations,
        List.of(),
        faults,
        acknowledged,
        5_000,
        Map.of(),
        List.of(),
        Path.of("unused"),
        f);
  }

  @Test
  void aCleanRunExitsZero() {
    assertEquals(0, Outcome.of(KILL_LEADER, report(List.of(), 2, 1_000)).exitCode());
  }

  @Test
  void aViolationExitsOne() {
    Violation lost =
        new Violation("acknowledged-writes", "lost", "k1=v7 acknowledged, gone", List.of());
    assertEquals(1, Outcome.of(KILL_LEADER, report(List.of(lost), 2, 1_000)).exitCode());
  }

  @Test
  void aRunThatExercisedTooLittleExitsOne() {
    assertEquals(1, Outcome.of(KILL_LEADER, report(List.of(), 0, 1_000)).exitCode());
    assertEquals(1, Outcome.of(KILL_LEADER, report(List.of(), 2, 3)).exitCode());
  }

  @Test
  void aBadCommandLineExitsTwoWithoutALab() {
    assertEquals(2, ChaosCommand.run("run", "no-such-scenario"));
    assertEquals(2, ChaosCommand.run("run", "kill-leader", "--duration", "ten seconds"));
    assertEquals(0, ChaosCommand.run("list"));
  }
}
