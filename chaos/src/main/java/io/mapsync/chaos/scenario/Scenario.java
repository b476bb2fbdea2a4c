package io.mapsync.chaos.scenario;

import io.mapsync.chaos.run.Plan;
import io.mapsync.chaos.run.Report;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BiFunction;

/**
 * A named chaos scenario, as `mapsync chaos list` shows it and its test runs it: a plan made from a
 * seed and a duration (the defaults are the ones docs/chaos.md records results for), and the least
 * it must have exercised for a pass to mean something.
 *
 * @param minFaults faults that must have been injected and healed
 */
public record Scenario(
    String name,
    String what,
    long seed,
    Duration duration,
    int minFaults,
    BiFunction<Long, Duration, Plan> planFor) {
  /** Fewer acknowledged client writes or map writes than these, and the run proves little. */
  static final long MIN_ACKNOWLEDGED = 50;

  static final long MIN_MAP_WRITES = 500;

  public Plan plan() {
    return plan(seed, duration);
  }

  public Plan plan(long seed, Duration duration) {
    return planFor.apply(seed, duration);
  }

  /** Why a run of this scenario did not exercise enough to count (empty: it did). */
  public List<String> shortfalls(Report r) {
    List<String> out = new ArrayList<>();
    if (r.faultsInjected() < minFaults) {
      out.add("only " + r.faultsInjected() + " fault(s) injected, wanted " + minFaults);
    }
    if (r.acknowledged() < MIN_ACKNOWLEDGED) {
      out.add("only " + r.acknowledged() + " client writes acknowledged: the run proves little");
    }
    if (r.mapWrites() < MIN_MAP_WRITES) {
      out.add("only " + r.mapWrites() + " map writes");
    }
    return out;
  }
}
