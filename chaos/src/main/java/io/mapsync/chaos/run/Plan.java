package io.mapsync.chaos.run;

import io.mapsync.chaos.cluster.ClusterSettings;
import io.mapsync.chaos.fault.Fault;
import io.mapsync.chaos.traffic.TrafficRates;
import java.time.Duration;
import java.util.List;

/**
 * One chaos run: the cluster, the traffic, and the faults — injected one at a time, each held for a
 * while and healed, with quiet time in between — until the duration is used up.
 *
 * @param name names the run's directory and report
 * @param seed drives every random choice (targets, fault order, traffic), so a run can be repeated
 * @param duration how long traffic and faults go on (the checks come after)
 * @param faults the failpoints; taken in order, or at random with {@code shuffle}
 * @param warmup traffic before the first fault
 * @param hold how long a fault stays in place (randomised by up to half with {@code shuffle})
 * @param recover quiet time after each heal
 */
public record Plan(
    String name,
    long seed,
    ClusterSettings cluster,
    TrafficRates rates,
    Duration duration,
    List<Fault> faults,
    boolean shuffle,
    Duration warmup,
    Duration hold,
    Duration recover) {

  public Plan {
    faults = List.copyOf(faults);
  }

  /**
   * A plan with the lab defaults: 3 voters, default traffic, 3 s warm-up, 6 s holds, 5 s recovery.
   */
  public static Plan of(String name, long seed, Duration duration, List<Fault> faults) {
    return new Plan(
        name,
        seed,
        ClusterSettings.defaults(),
        TrafficRates.defaults(),
        duration,
        faults,
        false,
        Duration.ofSeconds(3),
        Duration.ofSeconds(6),
        Duration.ofSeconds(5));
  }

  public Plan shuffled() {
    return new Plan(name, seed, cluster, rates, duration, faults, true, warmup, hold, recover);
  }

  public Plan withCluster(ClusterSettings c) {
    return new Plan(name, seed, c, rates, duration, faults, shuffle, warmup, hold, recover);
  }

  public Plan withTiming(Duration warmup, Duration hold, Duration recover) {
    return new Plan(name, seed, cluster, rates, duration, faults, shuffle, warmup, hold, recover);
  }

  public Plan withRates(TrafficRates r) {
    return new Plan(name, seed, cluster, r, duration, faults, shuffle, warmup, hold, recover);
  }
}
