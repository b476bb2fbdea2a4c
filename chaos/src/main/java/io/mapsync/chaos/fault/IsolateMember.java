package io.mapsync.chaos.fault;

import io.mapsync.chaos.cluster.ChaosCluster;
import io.mapsync.chaos.history.History;
import java.io.IOException;
import java.util.Random;

/**
 * Takes a member's link down: cut from its peers and from every client, as when a host's NIC dies.
 */
public final class IsolateMember implements Fault {
  private final Targets.Role role;

  public IsolateMember(Targets.Role role) {
    this.role = role;
  }

  @Override
  public String name() {
    return "isolate-" + Targets.lower(role);
  }

  @Override
  public Injected inject(ChaosCluster cluster, History history, Random random) throws IOException {
    String id = Targets.pick(cluster, role, random);
    cluster.network().isolate(id);
    history.event(name() + ": " + id + " link down");
    return () -> {
      cluster.network().heal(id);
      history.event(name() + ": " + id + " link up");
    };
  }
}
