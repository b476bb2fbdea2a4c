package io.mapsync.chaos.check;

import java.util.List;

/** One promise of docs/chaos.md, checked against the evidence of a run. */
public interface Check {
  String name();

  List<Violation> check(Evidence evidence);

  /** Every check, in the order the report lists them. */
  static List<Check> all() {
    return List.of(new AcknowledgedWritesCheck(), new ConvergenceCheck(), new NoCrashCheck(), new WatchOrderCheck(),
        new WatchGapCheck());
  }
}
