package io.mapsync.agent.cli;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.etcd.jetcd.ByteSequence;
import io.etcd.jetcd.Client;
import io.etcd.jetcd.cluster.Member;
import io.etcd.jetcd.maintenance.StatusResponse;
import io.mapsync.agent.node.GroupStatus;
import io.mapsync.store.MemberStatus;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/**
 * Leader, term and per-member commit/applied index, read from every member's own status; with
 * several Raft groups, one section per group as the first endpoint's member sees it.
 */
@Command(
    name = "status",
    mixinStandardHelpOptions = true,
    description = "Show the cluster: leader, term, and each member's commit and applied index.")
final class StatusCommand implements Callable<Integer> {
  private static final ObjectMapper JSON = new ObjectMapper();

  @Mixin Endpoints endpoints;

  @Mixin OutputFormat output;

  /** What -o json prints. */
  record Cluster(String leader, List<Row> members) {}

  /** What -o json prints when the cluster runs several Raft groups. */
  record ClusterWithGroups(String leader, List<Row> members, List<GroupStatus> groups) {}

  /** One member's row. */
  record Row(
      String id,
      String endpoint,
      String role,
      long term,
      long commitIndex,
      long appliedIndex,
      String error) {}

  @Override
  public Integer call() {
    List<Row> rows = new ArrayList<>();
    try (Client c = endpoints.connect()) {
      List<Row> leaderless = leaderless(c);
      if (!leaderless.isEmpty()) {
        print(leaderless, 0, List.of(), List.of());
        return 1;
      }
      List<Member> members =
          Calls.await(c.getClusterClient().listMember(), "member list", endpoints.urls())
              .getMembers();
      long leader = 0;
      for (Member m : members) {
        String ep = m.getClientURIs().isEmpty() ? "" : hostPort(m.getClientURIs().get(0));
        if (ep.isEmpty()) {
          rows.add(
              new Row(
                  m.getName(),
                  "",
                  m.isLearner() ? "listener" : "?",
                  0,
                  0,
                  0,
                  "no client address known"));
          continue;
        }
        try {
          StatusResponse s =
              c.getMaintenanceClient()
                  .statusMember((endpoints.tls() == null ? "http://" : "https://") + ep)
                  .get(5, TimeUnit.SECONDS);
          leader = s.getLeader();
          String role =
              m.isLearner() ? "listener" : s.getLeader() == m.getId() ? "leader" : "follower";
          rows.add(
              new Row(
                  m.getName(),
                  ep,
                  role,
                  s.getRaftTerm(),
                  s.getRaftIndex(),
                  s.getRaftAppliedIndex(),
                  ""));
        } catch (Exception e) {
          rows.add(
              new Row(m.getName(), ep, "unreachable", 0, 0, 0, String.valueOf(e.getMessage())));
        }
      }
      print(rows, leader, members, groups(c));
    }
    return rows.stream().anyMatch(r -> !r.error().isEmpty()) ? 1 : 0;
  }

  /**
   * Without a leader the member list cannot be read (it is a linearizable read), but each member's
   * own status still answers and says why: which peers it waits for. Empty if any endpoint knows a
   * leader (or none answers: the member list then reports the failure).
   */
  private List<Row> leaderless(Client c) {
    List<Row> out = new ArrayList<>();
    for (String url : endpoints.urls()) {
      try {
        StatusResponse s = c.getMaintenanceClient().statusMember(url).get(5, TimeUnit.SECONDS);
        if (s.getLeader() != 0) {
          return List.of();
        }
        out.add(
            new Row(
                "",
                hostPort(URI.create(url)),
                "no leader",
                s.getRaftTerm(),
                s.getRaftIndex(),
                s.getRaftAppliedIndex(),
                String.join("; ", s.getErrorList())));
      } catch (Exception e) {
        // this endpoint does not answer; the member list below will say so
      }
    }
    return out;
  }

  /**
   * Every Raft group as the first endpoint's member sees it; empty with one group (the key is then
   * an ordinary, absent key).
   */
  private List<GroupStatus> groups(Client c) {
    try {
      var kvs =
          c.getKVClient()
              .get(ByteSequence.from(GroupStatus.KEY, StandardCharsets.UTF_8))
              .get(5, TimeUnit.SECONDS)
              .getKvs();
      if (kvs.isEmpty()) {
        return List.of();
      }
      return JSON.readValue(kvs.get(0).getValue().getBytes(), new TypeReference<>() {});
    } catch (Exception e) {
      System.err.println("cannot read the Raft groups' status: " + e.getMessage());
      return List.of();
    }
  }

  private void print(
      List<Row> rows, long leaderId, List<Member> members, List<GroupStatus> groups) {
    String leader =
        members.stream()
            .filter(m -> m.getId() == leaderId)
            .map(Member::getName)
            .findFirst()
            .orElse("");
    if (output.json()) {
      System.out.println(
          OutputFormat.toJson(
              groups.isEmpty()
                  ? new Cluster(leader, rows)
                  : new ClusterWithGroups(leader, rows, groups)));
      return;
    }
    System.out.printf("leader: %s%n", leader.isEmpty() ? "(none)" : leader);
    System.out.printf(
        "%-10s %-22s %-11s %6s %12s %12s%n", "ID", "ENDPOINT", "ROLE", "TERM", "COMMIT", "APPLIED");
    for (Row r : rows) {
      System.out.printf(
          "%-10s %-22s %-11s %6d %12d %12d %s%n",
          r.id(), r.endpoint(), r.role(), r.term(), r.commitIndex(), r.appliedIndex(), r.error());
    }
    for (GroupStatus g : groups) {
      System.out.printf(
          "%ngroup %s: leader %s, term %d, maps %s%n",
          g.name(), g.leader().isEmpty() ? "(none)" : g.leader(), g.term(), g.maps());
      System.out.printf(
          "%-10s %-22s %-11s %12s %12s%n", "ID", "ADDRESS", "ROLE", "COMMIT", "APPLIED");
      for (MemberStatus m : g.members()) {
        System.out.printf(
            "%-10s %-22s %-11s %12d %12d%n",
            m.id(),
            m.address(),
            m.role().toLowerCase(java.util.Locale.ROOT),
            m.commitIndex(),
            m.appliedIndex());
      }
    }
  }

  static String hostPort(URI uri) {
    return uri.getHost() + ":" + uri.getPort();
  }
}
