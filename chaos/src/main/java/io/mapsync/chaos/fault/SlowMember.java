package io.mapsync.chaos.fault;

import io.mapsync.chaos.cluster.ChaosCluster;
import io.mapsync.chaos.history.History;
import java.io.IOException;
import java.util.Random;

/**
 * Delays a member's outgoing packets with a token bucket filter (tc tbf: a low rate and a deep
 * queue), since netem is not available: heartbeats and appends leave late, not lost.
 */
public final class SlowMember implements Fault {
  private final Targets.Role role;

  public SlowMember(Targets.Role role) {
    this.role = role;
  }

  @Override
  public String name() {
    return "slow-" + Targets.lower(role);
  }

  @Override
  public Injected inject(ChaosCluster cluster, History history, Random random) throws IOException {
    String id = Targets.pick(cluster, role, random);
    cluster.network().slow(id, "64kbit", "2s");
    history.event(name() + ": " + id + " egress limited to 64 kbit/s, queue up to 2 s (tbf)");
    return () -> {
      cluster.network().heal(id);
      history.event(name() + ": " + id + " rate limit removed");
    };
  }
}
