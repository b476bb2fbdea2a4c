package io.mapsync.chaos.fault;

import io.mapsync.chaos.cluster.ChaosCluster;
import io.mapsync.chaos.history.History;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * A rolling restart of every member under load, as an upgrade does it: the followers one after
 * another, then the leader; each stopped cleanly (SIGTERM), started from its data dir and ready
 * before the next goes. One member is down at a time, so a majority stays; the leader's turn forces
 * an election. Nothing is left to heal once it has gone round.
 */
public final class RollingRestart implements Fault {
  @Override
  public String name() {
    return "rolling-restart";
  }

  @Override
  public Injected inject(ChaosCluster cluster, History history, Random random)
      throws IOException, InterruptedException {
    String leader = Targets.pick(cluster, Targets.Role.LEADER, random);
    List<String> order =
        new ArrayList<>(cluster.ids().stream().filter(id -> !id.equals(leader)).toList());
    order.add(leader);
    for (String id : order) {
      cluster.member(id).stop(name());
      history.event(name() + ": SIGTERM " + id + (id.equals(leader) ? " (the leader)" : ""));
      cluster.restart(id);
      history.event(name() + ": " + id + " restarted from its data dir and ready");
    }
    return () -> {};
  }
}
