package io.mapsync.chaos;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mapsync.chaos.run.ChaosRun;
import io.mapsync.chaos.run.Plan;
import io.mapsync.chaos.run.Report;
import java.nio.file.Path;

/** Runs a plan as a test: the checks must pass, and the run must have exercised something. */
final class Scenarios {
  static final Path RUNS = Path.of("target", "chaos-runs");

  private Scenarios() {}

  static Report runAndCheck(Plan plan, int minFaults) throws Exception {
    Report r = ChaosRun.execute(plan, RUNS);
    assertTrue(r.passed(), () -> r.toString());
    assertTrue(r.faultsInjected() >= minFaults, () -> "only " + r.faultsInjected() + " fault(s) injected, wanted "
        + minFaults + "\n" + r);
    assertTrue(r.acknowledged() >= 50, () -> "only " + r.acknowledged() + " client writes acknowledged: the run"
        + " proves little\n" + r);
    assertTrue(r.mapWrites() >= 500, () -> "only " + r.mapWrites() + " map writes\n" + r);
    return r;
  }
}
