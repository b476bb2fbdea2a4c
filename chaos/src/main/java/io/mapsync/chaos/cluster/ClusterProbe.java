package io.mapsync.chaos.cluster;

import io.etcd.jetcd.Client;
import io.etcd.jetcd.cluster.Member;
import io.etcd.jetcd.maintenance.StatusResponse;
import java.io.IOException;
import java.net.URI;
import java.time.Duration;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * Asks the cluster about itself through the etcd v3 API every member serves (what `mapsync status`
 * does): who leads, each member's indexes, membership changes. Faults that target "the leader" use
 * this, never a guess from the harness's own bookkeeping.
 */
public final class ClusterProbe implements AutoCloseable {
  private static final long CALL_SECONDS = 3;

  private final Map<String, String> endpoints;
  private final Map<String, Client> clients = new ConcurrentHashMap<>();
  private final java.util.function.UnaryOperator<String> memberOf;

  /** Makes a client of one member (plain or TLS, as the lab runs). */
  private final java.util.function.Function<String, Client> connect;

  /**
   * @param endpoints each member's etcd API by its lab name
   * @param connect a new client of one member, by its lab name
   * @param memberOf the lab name of a Raft member name (they differ once a member was replaced by
   *     one with a new id at the same host)
   */
  ClusterProbe(
      Map<String, String> endpoints,
      java.util.function.Function<String, Client> connect,
      java.util.function.UnaryOperator<String> memberOf) {
    this.endpoints = new LinkedHashMap<>(endpoints);
    this.connect = connect;
    this.memberOf = memberOf;
  }

  /** A client of one member only (no fail-over to others), created once. */
  public Client client(String id) {
    return clients.computeIfAbsent(id, connect);
  }

  /**
   * One member's own status (Maintenance.Status), or an exception if it does not answer in time.
   */
  public StatusResponse status(String id) throws IOException {
    return await(
        client(id).getMaintenanceClient().statusMember(endpoints.get(id)), "status of " + id);
  }

  /** Member names by their etcd member id, as a member reports the configuration. */
  public Map<Long, String> memberNames(String askId) throws IOException {
    Map<Long, String> out = new HashMap<>();
    for (Member m :
        await(client(askId).getClusterClient().listMember(), "member list from " + askId)
            .getMembers()) {
      out.put(m.getId(), m.getName());
    }
    return out;
  }

  /**
   * The leader, as a majority of the cluster's members reports it; waits through elections.
   *
   * @param ask the members to ask (those that can answer)
   * @param clusterSize the number of voters, for the majority
   */
  public String leader(Collection<String> ask, int clusterSize, Duration timeout)
      throws IOException {
    long deadline = System.nanoTime() + timeout.toNanos();
    String lastSeen = "no answer";
    while (System.nanoTime() < deadline) {
      Map<Long, Integer> votes = new HashMap<>();
      List<String> answered = new java.util.ArrayList<>();
      for (String id : ask) {
        try {
          long leader = status(id).getLeader();
          if (leader != 0) {
            votes.merge(leader, 1, Integer::sum);
            answered.add(id);
          }
        } catch (IOException e) {
          lastSeen = e.getMessage();
        }
      }
      for (var v : votes.entrySet()) {
        if (v.getValue() > clusterSize / 2) {
          // A member that answers its own status may still be unable to answer a member list (one
          // cut off from the leader, e.g. by a one-way partition): ask the others before giving up.
          for (String id : answered) {
            try {
              String name = memberNames(id).get(v.getKey());
              if (name != null) {
                return memberOf.apply(name);
              }
            } catch (IOException e) {
              lastSeen = e.getMessage();
            }
          }
        }
      }
      lastSeen = "votes " + votes + ", last error: " + lastSeen;
      sleep(200);
    }
    throw new IOException(
        "no leader agreed on by a majority of "
            + ask
            + " within "
            + timeout
            + " ("
            + lastSeen
            + ")");
  }

  /** Removes a member from the Raft configuration, asking another member. */
  public void removeMember(String askId, String id) throws IOException {
    for (var e : memberNames(askId).entrySet()) {
      if (e.getValue().equals(id)) {
        await(client(askId).getClusterClient().removeMember(e.getKey()), "remove " + id);
        return;
      }
    }
    throw new IOException(id + " is not a member (asked " + askId + ")");
  }

  /**
   * Adds a voter; completes once the leader has caught it up and committed the new configuration,
   * which needs the member to be running (started in join mode). The name travels as the URL's user
   * part, as `mapsync members add` sends it.
   */
  public CompletableFuture<List<Member>> addMember(String askId, String id, String peerAddress) {
    return client(askId)
        .getClusterClient()
        .addMember(List.of(URI.create("http://" + id + "@" + peerAddress)), false)
        .thenApply(r -> r.getMembers());
  }

  static <T> T await(CompletableFuture<T> call, String what) throws IOException {
    try {
      return call.get(CALL_SECONDS, TimeUnit.SECONDS);
    } catch (java.util.concurrent.TimeoutException e) {
      call.cancel(true);
      throw new IOException(what + ": no answer in " + CALL_SECONDS + " s");
    } catch (java.util.concurrent.ExecutionException e) {
      throw new IOException(what + ": " + e.getCause().getMessage(), e.getCause());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted: " + what, e);
    }
  }

  private static void sleep(long ms) {
    try {
      Thread.sleep(ms);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  @Override
  public void close() {
    clients.values().forEach(Client::close);
    clients.clear();
  }
}
