package io.mapsync.agent.cli;

import io.etcd.jetcd.Client;
import io.etcd.jetcd.cluster.Member;
import io.etcd.jetcd.maintenance.StatusResponse;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** Leader, term and per-member commit/applied index, read from every member's own status. */
@Command(
    name = "status",
    mixinStandardHelpOptions = true,
    description = "Show the cluster: leader, term, and each member's commit and applied index.")
final class StatusCommand implements Callable<Integer> {
  @Mixin Endpoints endpoints;

  @Mixin OutputFormat output;

  /** What -o json prints. */
  record Cluster(String leader, List<Row> members) {}

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
        print(leaderless, 0, List.of());
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
      print(rows, leader, members);
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

  private void print(List<Row> rows, long leaderId, List<Member> members) {
    String leader =
        members.stream()
            .filter(m -> m.getId() == leaderId)
            .map(Member::getName)
            .findFirst()
            .orElse("");
    if (output.json()) {
      System.out.println(OutputFormat.toJson(new Cluster(leader, rows)));
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
  }

  static String hostPort(URI uri) {
    return uri.getHost() + ":" + uri.getPort();
  }
}
