package io.mapsync.chaos.fault;

import io.mapsync.chaos.cluster.ChaosCluster;
import io.mapsync.chaos.history.History;
import java.io.IOException;
import java.util.List;
import java.util.Random;

/**
 * A lossy link between a member and its peers: nftables drops 5 to 30 % of the packets at random
 * (the share drawn from the run's seed), both ways. TCP retransmits, so Raft sees late and bunched
 * messages, retried appends and elections timed out by a gap; nothing may be lost or doubled.
 */
public final class LossyLink implements Fault {
  static final int MIN_PERCENT = 5;
  static final int MAX_PERCENT = 30;

  private final Targets.Role role;

  public LossyLink(Targets.Role role) {
    this.role = role;
  }

  @Override
  public String name() {
    return "lossy-" + Targets.lower(role);
  }

  @Override
  public Injected inject(ChaosCluster cluster, History history, Random random) throws IOException {
    String id = Targets.pick(cluster, role, random);
    int percent = MIN_PERCENT + random.nextInt(MAX_PERCENT - MIN_PERCENT + 1);
    List<String> others = cluster.ids().stream().filter(o -> !o.equals(id)).toList();
    cluster.network().lossy(id, others, percent);
    history.event(
        name()
            + ": "
            + id
            + " drops "
            + percent
            + " % of packets to and from "
            + others
            + " (nftables)");
    return () -> {
      cluster.network().heal(id);
      history.event(name() + ": " + id + " healed");
    };
  }
}
