package io.mapsync.chaos;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mapsync.chaos.run.ChaosRun;
import io.mapsync.chaos.run.Plan;
import io.mapsync.chaos.run.Report;
import io.mapsync.chaos.scenario.Scenario;
import io.mapsync.chaos.scenario.ScenarioCatalog;
import java.nio.file.Path;

/**
 * Runs a catalog scenario as a test: the checks must pass, and the run must have exercised
 * something.
 */
final class Scenarios {
  static final Path RUNS = Path.of("target", "chaos-runs");

  private Scenarios() {}

  static Report runAndCheck(String name) throws Exception {
    return runAndCheck(name, ScenarioCatalog.named(name).plan());
  }

  /** The scenario with a plan of its own (one the test holds faults of, to ask them afterwards). */
  static Report runAndCheck(String name, Plan plan) throws Exception {
    Scenario s = ScenarioCatalog.named(name);
    Report r = ChaosRun.execute(plan, RUNS);
    assertTrue(r.passed(), () -> r.toString());
    assertTrue(s.shortfalls(r).isEmpty(), () -> String.join("; ", s.shortfalls(r)) + "\n" + r);
    return r;
  }
}
