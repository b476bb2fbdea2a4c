package io.mapsync.chaos.fault;

import io.mapsync.chaos.cluster.ChaosCluster;
import io.mapsync.chaos.cluster.RaftFiles;
import io.mapsync.chaos.history.History;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;

/**
 * A host loses its disk: the member is killed, removed from the configuration, its data dir
 * deleted; healing adds it back and starts it in join mode with an empty dir. Its map (pinned by
 * the network function's host) keeps stale content, which bootstrap must replace. With the lab's
 * snapshot settings the leader has purged its log by then, so the member can only rejoin through a
 * snapshot install; {@link #rejoins()} records the storage evidence of that.
 */
public final class WipeMember implements Fault {
  static final Duration MEMBERSHIP_WAIT = Duration.ofSeconds(60);

  private final Targets.Role role;
  private final boolean askLeader;
  private final boolean newId;
  private final List<RaftFiles> rejoins = new ArrayList<>();

  /** Membership changes go to a follower (see {@link #WipeMember(Targets.Role, boolean)}). */
  public WipeMember(Targets.Role role) {
    this(role, false);
  }

  /**
   * @param askLeader send the remove and the add to the leader's etcd API; by default they go to a
   *     follower (MembershipChangeOnLeaderTest covers the leader, where chaos bug 6 was)
   */
  public WipeMember(Targets.Role role, boolean askLeader) {
    this(role, askLeader, false);
  }

  private WipeMember(Targets.Role role, boolean askLeader, boolean newId) {
    this.role = role;
    this.askLeader = askLeader;
    this.newId = newId;
  }

  /**
   * The member is replaced by a new one with a new id (n3 removed, n4 added with an empty data dir
   * on the same host): what an operator does with a host whose disk or machine was replaced.
   */
  public static WipeMember replacing(Targets.Role role) {
    return new WipeMember(role, false, true);
  }

  @Override
  public String name() {
    return (newId ? "replace-" : "wipe-") + Targets.lower(role) + (askLeader ? "-via-leader" : "");
  }

  /** The storage of each member right after it rejoined, in order. */
  public synchronized List<RaftFiles> rejoins() {
    return List.copyOf(rejoins);
  }

  @Override
  public Injected inject(ChaosCluster cluster, History history, Random random)
      throws IOException, InterruptedException {
    String id = Targets.pick(cluster, role, random);
    String removed = cluster.agentId(id);
    cluster.member(id).kill(name());
    List<String> others = cluster.ids().stream().filter(o -> !o.equals(id)).toList();
    retry(
        "remove " + id,
        () -> {
          String ask = whomToAsk(cluster, others);
          // a retry after a lost answer finds the member already gone
          if (cluster.probe().memberNames(ask).containsValue(removed)) {
            cluster.probe().removeMember(ask, removed);
          }
        });
    cluster.wipe(id);
    history.event(
        name()
            + ": "
            + id
            + (removed.equals(id) ? "" : " (agent " + removed + ")")
            + " killed, removed from the configuration, data dir wiped");
    return () -> rejoin(cluster, history, id, others);
  }

  /** The member whose etcd API gets the membership change: the leader, or one that is not. */
  private String whomToAsk(ChaosCluster cluster, List<String> others) throws IOException {
    String leader = cluster.probe().leader(others, cluster.ids().size(), Targets.LEADER_WAIT);
    return askLeader
        ? leader
        : others.stream().filter(o -> !o.equals(leader)).findFirst().orElse(leader);
  }

  private void rejoin(ChaosCluster cluster, History history, String id, List<String> others)
      throws IOException, InterruptedException {
    String joining = newId ? cluster.renew(id) : cluster.agentId(id);
    // The agent reports ready only once it is a member and caught up, so start it, then add it.
    CompletableFuture<Void> start =
        CompletableFuture.runAsync(
            () -> {
              try {
                cluster.startJoining(id);
              } catch (IOException e) {
                throw new CompletionException(e);
              }
            });
    retry(
        "add " + joining,
        () -> {
          String ask = whomToAsk(cluster, others);
          if (cluster.probe().memberNames(ask).containsValue(joining)) {
            return;
          }
          try {
            cluster
                .probe()
                .addMember(ask, joining, cluster.peerAddress(id))
                .get(30, TimeUnit.SECONDS);
          } catch (Exception e) {
            throw new IOException("add " + joining + " via " + ask + ": " + e.getMessage(), e);
          }
        });
    try {
      start.get(MEMBERSHIP_WAIT.toSeconds() * 2, TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new IOException(id + " did not come back after being added: " + e.getMessage(), e);
    }
    RaftFiles files = RaftFiles.of(cluster.dataDir(id));
    synchronized (this) {
      rejoins.add(files);
    }
    history.event(
        name()
            + ": "
            + id
            + (newId ? " (as the new member " + joining + ")" : "")
            + " added back and ready; its storage: "
            + files
            + (files.installedSnapshot()
                ? " (state came by snapshot)"
                : " (state came by log replay)"));
  }

  /** Membership changes fail while a new leader settles in; retry them for a while. */
  private static void retry(String what, IoAction action) throws IOException, InterruptedException {
    long deadline = System.nanoTime() + MEMBERSHIP_WAIT.toNanos();
    IOException last = null;
    while (System.nanoTime() < deadline) {
      try {
        action.run();
        return;
      } catch (IOException e) {
        last = e;
        Thread.sleep(1000);
      }
    }
    throw new IOException(what + " kept failing for " + MEMBERSHIP_WAIT, last);
  }

  private interface IoAction {
    void run() throws IOException;
  }
}
