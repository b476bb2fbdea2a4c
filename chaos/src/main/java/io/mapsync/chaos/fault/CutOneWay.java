package io.mapsync.chaos.fault;

import io.mapsync.chaos.cluster.ChaosCluster;
import io.mapsync.chaos.cluster.Network.Direction;
import io.mapsync.chaos.history.History;
import java.io.IOException;
import java.util.List;
import java.util.Random;

/**
 * A one-way partition (nftables in the member's namespace, drops on one hook only). Inbound: the
 * member sends to its peers but hears nothing back — a leader keeps sending heartbeats while its
 * acknowledgements never arrive, and a follower times out and campaigns with votes it never sees.
 * Outbound: it hears everything and is never heard — a leader cut this way must be replaced while
 * it still believes it leads. Clients still reach it either way.
 */
public final class CutOneWay implements Fault {
  private final Targets.Role role;
  private final Direction direction;

  public CutOneWay(Targets.Role role, Direction direction) {
    this.role = role;
    this.direction = direction;
  }

  @Override
  public String name() {
    return (direction == Direction.INBOUND ? "cut-inbound-" : "cut-outbound-")
        + Targets.lower(role);
  }

  @Override
  public Injected inject(ChaosCluster cluster, History history, Random random) throws IOException {
    String id = Targets.pick(cluster, role, random);
    List<String> others = cluster.ids().stream().filter(o -> !o.equals(id)).toList();
    cluster.network().cutOneWay(id, others, direction);
    history.event(
        name()
            + ": "
            + id
            + (direction == Direction.INBOUND ? " hears nothing from " : " is not heard by ")
            + others
            + " (nftables drop, one way)");
    return () -> {
      cluster.network().heal(id);
      history.event(name() + ": " + id + " healed");
    };
  }
}
