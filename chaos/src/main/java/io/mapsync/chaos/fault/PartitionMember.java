package io.mapsync.chaos.fault;

import io.mapsync.chaos.cluster.ChaosCluster;
import io.mapsync.chaos.history.History;
import java.io.IOException;
import java.util.List;
import java.util.Random;

/**
 * Cuts one member off from the other members with nftables drops in its namespace (both ways);
 * clients still reach it. A cut leader keeps accepting requests it can no longer commit; a cut
 * follower falls behind and, with the lab's small snapshot threshold, is caught up by a snapshot
 * once healed.
 */
public final class PartitionMember implements Fault {
  private final Targets.Role role;

  public PartitionMember(Targets.Role role) {
    this.role = role;
  }

  @Override
  public String name() {
    return "partition-" + Targets.lower(role);
  }

  @Override
  public Injected inject(ChaosCluster cluster, History history, Random random) throws IOException {
    String id = Targets.pick(cluster, role, random);
    List<String> others = cluster.ids().stream().filter(o -> !o.equals(id)).toList();
    cluster.network().partition(id, others);
    history.event(name() + ": " + id + " cut from " + others + " (nftables drop both ways)");
    return () -> {
      cluster.network().heal(id);
      history.event(name() + ": " + id + " healed");
    };
  }
}
