package io.mapsync.chaos.fault;

import io.mapsync.chaos.cluster.ChaosCluster;
import io.mapsync.chaos.history.History;
import java.io.IOException;
import java.util.Random;

/**
 * SIGKILL of the leader or a follower: no shutdown hook, no flush, sockets reset. Healed by a
 * restart from the member's data dir, which must replay its snapshot and log, rejoin, and bootstrap
 * its map before it reports ready.
 */
public final class KillMember implements Fault {
  private final Targets.Role role;

  public KillMember(Targets.Role role) {
    this.role = role;
  }

  @Override
  public String name() {
    return "kill-" + Targets.lower(role);
  }

  @Override
  public Injected inject(ChaosCluster cluster, History history, Random random)
      throws IOException, InterruptedException {
    String id = Targets.pick(cluster, role, random);
    cluster.member(id).kill(name());
    history.event(name() + ": SIGKILL " + id);
    return () -> {
      cluster.restart(id);
      history.event(name() + ": " + id + " restarted from its data dir and ready");
    };
  }
}
