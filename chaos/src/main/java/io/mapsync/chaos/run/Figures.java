package io.mapsync.chaos.run;

import io.mapsync.chaos.check.Violation;
import io.mapsync.chaos.history.FaultWindow;
import io.mapsync.chaos.history.History;
import io.mapsync.chaos.history.Op;
import io.mapsync.chaos.history.Read;
import java.util.ArrayList;
import java.util.List;

/**
 * The figures of one run that `mapsync chaos` prints and docs/chaos.md keeps, with the targets of
 * the issue they are read against (first write after a leader fault within 7 s, converged within 10
 * s after the heal, nothing lost). Only "lost" fails a run (as acknowledged-writes violations); the
 * times are reported against their targets, since a loaded machine stretches them.
 *
 * @param writesOk client writes acknowledged
 * @param writesIndeterminate client writes with no answer or an error (may have taken effect)
 * @param readsOk gets answered
 * @param readsFailed gets not answered (no effect, so not indeterminate)
 * @param firstWriteAfterFaultMs the longest, over the faults, from injection to the first
 *     acknowledged client write sent after it (-1: no fault; {@link Long#MAX_VALUE}: none came
 *     before the run ended)
 * @param worstFault the fault that took that long
 * @param convergedMs from the end of the traffic (after the last heal) until every map and watch
 *     agreed with the store (-1: they did not)
 * @param lostAcknowledged acknowledged writes not found where they must be
 */
public record Figures(
    long writesOk,
    long writesIndeterminate,
    long readsOk,
    long readsFailed,
    long firstWriteAfterFaultMs,
    String worstFault,
    long convergedMs,
    long lostAcknowledged) {
  static final long FIRST_WRITE_TARGET_MS = 7_000;
  static final long CONVERGED_TARGET_MS = 10_000;

  static Figures of(
      History history, List<Violation> violations, long trafficStoppedMs, long agreedAtMs) {
    List<Op> client = history.ops().stream().filter(o -> o.source().startsWith("client@")).toList();
    List<Read> reads = history.reads();
    long worst = -1;
    String worstFault = "";
    for (FaultWindow f : history.faults()) {
      long first =
          client.stream()
              .filter(o -> o.acknowledged() && o.invokedMs() >= f.injectedMs())
              .mapToLong(o -> o.completedMs() - f.injectedMs())
              .min()
              .orElse(Long.MAX_VALUE);
      if (first > worst) {
        worst = first;
        worstFault = f.fault() + " at " + f.injectedMs() + " ms";
      }
    }
    return new Figures(
        client.stream().filter(Op::acknowledged).count(),
        client.stream().filter(o -> o.outcome() == Op.Outcome.UNKNOWN).count(),
        reads.stream().filter(Read::ok).count(),
        reads.stream().filter(r -> !r.ok()).count(),
        worst,
        worstFault,
        agreedAtMs < 0 ? -1 : agreedAtMs - trafficStoppedMs,
        violations.stream().filter(v -> v.check().equals("acknowledged-writes")).count());
  }

  /** The report's first lines. */
  List<String> lines() {
    List<String> out = new ArrayList<>();
    out.add(
        "client writes: "
            + writesOk
            + " ok, "
            + writesIndeterminate
            + " indeterminate; gets: "
            + readsOk
            + " ok, "
            + readsFailed
            + " failed");
    String first =
        firstWriteAfterFaultMs < 0
            ? "no fault"
            : firstWriteAfterFaultMs == Long.MAX_VALUE
                ? "NONE before the end, after " + worstFault
                : firstWriteAfterFaultMs + " ms at worst (" + worstFault + ")";
    out.add(
        "first write after a fault: "
            + first
            + target(
                firstWriteAfterFaultMs >= 0 && firstWriteAfterFaultMs <= FIRST_WRITE_TARGET_MS,
                "7 s",
                firstWriteAfterFaultMs < 0));
    out.add(
        "converged after heal: "
            + (convergedMs < 0 ? "NOT converged" : convergedMs + " ms after the traffic stopped")
            + target(convergedMs >= 0 && convergedMs <= CONVERGED_TARGET_MS, "10 s", false));
    out.add(
        "lost acknowledged writes: "
            + lostAcknowledged
            + target(lostAcknowledged == 0, "0", false));
    return out;
  }

  private static String target(boolean met, String target, boolean notApplicable) {
    return notApplicable
        ? ""
        : met ? " (target " + target + ": met)" : " (target " + target + ": MISSED)";
  }
}
