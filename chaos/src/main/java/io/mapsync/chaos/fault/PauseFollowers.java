package io.mapsync.chaos.fault;

import io.mapsync.chaos.cluster.ChaosCluster;
import io.mapsync.chaos.history.History;
import java.io.IOException;
import java.util.List;
import java.util.Random;

/**
 * SIGSTOP of every follower at once: the majority is gone, the leader steps down, nothing commits
 * until they are resumed. Not one of the single-member faults the guarantees are stated under, but
 * everything must come back once the majority does.
 */
public final class PauseFollowers implements Fault {
  @Override
  public String name() {
    return "pause-followers";
  }

  @Override
  public Injected inject(ChaosCluster cluster, History history, Random random) throws IOException {
    String leader = Targets.pick(cluster, Targets.Role.LEADER, random);
    List<String> followers =
        cluster.responsive().stream().filter(id -> !id.equals(leader)).toList();
    for (String id : followers) {
      cluster.member(id).pause();
    }
    history.event(name() + ": SIGSTOP " + followers + " (leader " + leader + " left alone)");
    return () -> {
      for (String id : followers) {
        cluster.member(id).resume();
      }
      history.event(name() + ": SIGCONT " + followers);
    };
  }
}
