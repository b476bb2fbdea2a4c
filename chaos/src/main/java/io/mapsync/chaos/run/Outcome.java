package io.mapsync.chaos.run;

import io.mapsync.chaos.scenario.Scenario;
import java.util.List;

/**
 * A scenario's report judged as `mapsync chaos` judges it: every check held and the run exercised
 * enough.
 */
record Outcome(Scenario scenario, Report report, List<String> shortfalls) {
  static Outcome of(Scenario s, Report r) {
    return new Outcome(s, r, s.shortfalls(r));
  }

  boolean passed() {
    return report.passed() && shortfalls.isEmpty();
  }

  /**
   * Prints the verdict after the report (which the run printed already); returns {@link #passed}.
   */
  boolean print() {
    shortfalls.forEach(s -> System.out.println("  NOT EXERCISED: " + s));
    System.out.println(row());
    return passed();
  }

  /**
   * What `mapsync chaos run` exits with: 0 passed, 1 a violation or a run that exercised too
   * little.
   */
  int exitCode() {
    return passed() ? 0 : 1;
  }

  String row() {
    Figures f = report.figures();
    String first =
        f.firstWriteAfterFaultMs() < 0
            ? "-"
            : f.firstWriteAfterFaultMs() == Long.MAX_VALUE
                ? "none"
                : f.firstWriteAfterFaultMs() + " ms";
    return String.format(
        "%-28s %-6d %-7s %-7d %-12s %-10s %d",
        scenario.name(),
        report.seed(),
        passed() ? "PASSED" : "FAILED",
        report.faultsInjected(),
        first,
        f.convergedMs() < 0 ? "no" : f.convergedMs() + " ms",
        f.lostAcknowledged());
  }
}
