package io.mapsync.chaos.check;

import java.util.List;

/** One promise of docs/chaos.md, checked against the evidence of a run. */
public interface Check {
  String name();

  List<Violation> check(Evidence evidence);

  /**
   * What the last {@link #check} looked at, for the report's verdict line (empty if nothing to
   * add).
   */
  default String stats() {
    return "";
  }

  /** Whether every running member applied the log up to the store's revision. */
  static Check caughtUp() {
    return new CaughtUpCheck();
  }

  /** Every check, in the order the report lists them. */
  static List<Check> all() {
    return List.of(
        new NoCrashCheck(),
        new CaughtUpCheck(),
        new ProposalsCheck(),
        new AcknowledgedWritesCheck(),
        new ConvergenceCheck(),
        new WatchOrderCheck(),
        new WatchGapCheck(),
        new LinearizabilityCheck(),
        new ReadRevisionCheck());
  }
}
