package io.mapsync.chaos.fault;

import io.mapsync.chaos.cluster.ChaosCluster;
import io.mapsync.chaos.history.History;
import java.io.IOException;
import java.util.Random;

/**
 * SIGSTOP, later SIGCONT: the member keeps its sockets and state but answers nothing, like a long
 * GC pause or a frozen VM. A paused leader wakes up believing it still leads; its capture ring
 * buffer fills meanwhile with the network function's writes.
 */
public final class PauseMember implements Fault {
  private final Targets.Role role;

  public PauseMember(Targets.Role role) {
    this.role = role;
  }

  @Override
  public String name() {
    return "pause-" + Targets.lower(role);
  }

  @Override
  public Injected inject(ChaosCluster cluster, History history, Random random) throws IOException {
    String id = Targets.pick(cluster, role, random);
    cluster.member(id).pause();
    history.event(name() + ": SIGSTOP " + id);
    return () -> {
      cluster.member(id).resume();
      history.event(name() + ": SIGCONT " + id);
    };
  }
}
