package io.mapsync.chaos.fault;

import io.mapsync.chaos.cluster.ChaosCluster;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Random;

/** Picks a fault's target by role, asking the cluster who leads (Maintenance status). */
public final class Targets {
  static final Duration LEADER_WAIT = Duration.ofSeconds(30);

  private Targets() {}

  /** Which member a fault hits. */
  public enum Role {
    LEADER,
    FOLLOWER
  }

  static String pick(ChaosCluster cluster, Role role, Random random) throws IOException {
    String leader = cluster.probe().leader(cluster.responsive(), cluster.ids().size(), LEADER_WAIT);
    if (role == Role.LEADER) {
      return leader;
    }
    List<String> followers =
        cluster.responsive().stream().filter(id -> !id.equals(leader)).toList();
    if (followers.isEmpty()) {
      throw new IOException(
          "no responsive follower to pick (leader "
              + leader
              + ", responsive "
              + cluster.responsive()
              + ")");
    }
    return followers.get(random.nextInt(followers.size()));
  }

  static String lower(Role role) {
    return role.name().toLowerCase(java.util.Locale.ROOT);
  }
}
