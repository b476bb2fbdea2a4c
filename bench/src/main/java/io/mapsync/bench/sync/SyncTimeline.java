package io.mapsync.bench.sync;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * The first minutes of a fresh cluster as a user meets them: no warm-up, a load profile of phases
 * ({@code 2000x60,1000x20} = 60 s at 2k writes/s, then 20 s at 1k/s), and the propagation
 * p50/p90/p99 of the writes scheduled in each second, so a stall shows up in the second it began.
 */
final class SyncTimeline {
  /** One phase of the profile: a rate for a number of seconds. */
  record Phase(int perSecond, int seconds) {
    static List<Phase> parse(String spec) {
      List<Phase> phases = new ArrayList<>();
      for (String part : spec.split(",")) {
        String[] rs = part.trim().split("x");
        try {
          phases.add(new Phase(Integer.parseInt(rs[0]), Integer.parseInt(rs[1])));
        } catch (RuntimeException e) {
          throw new IllegalArgumentException(
              "--timeline phase '" + part + "' is not RATExSECONDS (e.g. 2000x60)");
        }
      }
      return phases;
    }
  }

  /**
   * One second of the profile, latencies in microseconds; lost = not visible 10 s after the end.
   */
  record Second(
      int second, int perSecond, double p50, double p90, double p99, double max, long lost) {
    String line() {
      return String.format(
          Locale.ROOT,
          "%4d s %6d/s  p50 %9.0f us  p90 %9.0f us  p99 %9.0f us  max %9.0f us  lost %d",
          second,
          perSecond,
          p50,
          p90,
          p99,
          max,
          lost);
    }
  }

  /** The whole profile: each second's figures, and the offered writes for pooled figures. */
  record Result(List<Second> seconds, List<SyncBench.Scheduled> offered, List<Integer> rates) {
    /** p50/p90/p99 in microseconds over the writes of seconds [from, to). */
    double[] pooled(SyncBench bench, int from, int to) {
      long[] all =
          offered.subList(from, to).stream()
              .flatMapToLong(s -> Arrays.stream(bench.collect(s, 1).latenciesMicros()))
              .sorted()
              .toArray();
      return all.length == 0
          ? new double[] {Double.NaN, Double.NaN, Double.NaN}
          : new double[] {
            all[(int) (0.5 * all.length)],
            all[(int) (0.9 * all.length)],
            all[(int) (0.99 * all.length)]
          };
    }
  }

  private SyncTimeline() {}

  /**
   * Runs the profile second by second, back to back, then waits (at most 10 s) for the last writes.
   */
  static Result run(SyncBench bench, List<Phase> phases) {
    List<SyncBench.Scheduled> offered = new ArrayList<>();
    List<Integer> rates = new ArrayList<>();
    for (Phase p : phases) {
      for (int s = 0; s < p.seconds(); s++) {
        offered.add(bench.schedule(p.perSecond(), Duration.ofSeconds(1), !offered.isEmpty()));
        rates.add(p.perSecond());
      }
    }
    bench.drain(Duration.ofSeconds(10));
    List<Second> seconds = new ArrayList<>();
    for (int i = 0; i < offered.size(); i++) {
      SyncBench.RateResult r = bench.collect(offered.get(i), rates.get(i));
      long[] l = r.latenciesMicros();
      seconds.add(
          new Second(
              i,
              rates.get(i),
              r.percentile(0.5),
              r.percentile(0.9),
              r.percentile(0.99),
              l.length == 0 ? Double.NaN : l[l.length - 1],
              r.lost()));
    }
    return new Result(seconds, offered, rates);
  }
}
