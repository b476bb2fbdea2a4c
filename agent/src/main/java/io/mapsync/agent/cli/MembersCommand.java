package io.mapsync.agent.cli;

import io.etcd.jetcd.Client;
import io.etcd.jetcd.cluster.Member;
import io.mapsync.agent.config.ConfigException;
import io.mapsync.agent.config.HostPort;
import java.net.URI;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** Lists, adds and removes members; a listener receives the log but never votes. */
@Command(
    name = "members",
    mixinStandardHelpOptions = true,
    description = "List, add or remove cluster members.",
    subcommands = {
      MembersCommand.ListMembers.class,
      MembersCommand.Add.class,
      MembersCommand.Remove.class
    })
final class MembersCommand implements Runnable {
  @picocli.CommandLine.Spec picocli.CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(System.out);
  }

  /** One member as -o json prints it. */
  record Row(String id, String memberId, String role, String peer, String client) {
    static Row of(Member m) {
      return new Row(
          m.getName(),
          String.format("%016x", m.getId()),
          m.isLearner() ? "listener" : "voter",
          m.getPeerURIs().isEmpty() ? "" : m.getPeerURIs().get(0).toString(),
          m.getClientURIs().isEmpty() ? "" : m.getClientURIs().get(0).toString());
    }
  }

  static void print(List<Member> members) {
    System.out.printf("%-10s %-16s %-8s %-26s %s%n", "ID", "MEMBER-ID", "ROLE", "PEER", "CLIENT");
    for (Member m : members) {
      System.out.printf(
          "%-10s %016x %-8s %-26s %s%n",
          m.getName(),
          m.getId(),
          m.isLearner() ? "listener" : "voter",
          m.getPeerURIs().isEmpty() ? "" : m.getPeerURIs().get(0),
          m.getClientURIs().isEmpty() ? "" : m.getClientURIs().get(0));
    }
  }

  /** Lists members. */
  @Command(
      name = "list",
      mixinStandardHelpOptions = true,
      description = "List members (voters and listeners).")
  static final class ListMembers implements Callable<Integer> {
    @Mixin Endpoints endpoints;
    @Mixin OutputFormat output;

    @Override
    public Integer call() {
      try (Client c = endpoints.connect()) {
        List<Member> members =
            Calls.await(c.getClusterClient().listMember(), "member list", endpoints.urls())
                .getMembers();
        if (output.json()) {
          System.out.println(OutputFormat.toJson(members.stream().map(Row::of).toList()));
        } else {
          print(members);
        }
      }
      return 0;
    }
  }

  /** Adds a member, which must then be started with --join. */
  @Command(
      name = "add",
      mixinStandardHelpOptions = true,
      description =
          "Add a member (then start it with 'mapsync agent --join'): ID=HOST:PORT of its Raft port.")
  static final class Add implements Callable<Integer> {
    @Mixin Endpoints endpoints;

    @Parameters(index = "0", description = "the new member: id=host:port (its peer address)")
    String member;

    @Option(names = "--listener", description = "join as a listener: receives the log, never votes")
    boolean listener;

    @Override
    public Integer call() {
      int eq = member.indexOf('=');
      if (eq <= 0) {
        throw new ConfigException(
            "member: '" + member + "' is not id=host:port (e.g. n4=127.0.0.1:7004)");
      }
      String id = member.substring(0, eq);
      String address = member.substring(eq + 1);
      HostPort.check("member", address);
      // etcd's MemberAdd carries only peer URLs, so the member's name travels as the URL's user
      // part.
      URI peer = URI.create("http://" + id + "@" + address);
      try (Client c = endpoints.connect()) {
        var resp =
            Calls.await(
                c.getClusterClient().addMember(List.of(peer), listener),
                "member add",
                endpoints.urls());
        System.out.printf(
            "added %s as a %s; start it with: mapsync agent --id %s --join ...%n",
            id, listener ? "listener" : "voter", id);
        print(resp.getMembers());
      }
      return 0;
    }
  }

  /** Removes a member by name. */
  @Command(
      name = "remove",
      mixinStandardHelpOptions = true,
      description = "Remove a member by its id (name).")
  static final class Remove implements Callable<Integer> {
    @Mixin Endpoints endpoints;

    @Parameters(index = "0", description = "the member's id, e.g. n4")
    String id;

    @Override
    public Integer call() {
      try (Client c = endpoints.connect()) {
        List<Member> members =
            Calls.await(c.getClusterClient().listMember(), "member list", endpoints.urls())
                .getMembers();
        Member m =
            members.stream()
                .filter(x -> x.getName().equals(id))
                .findFirst()
                .orElseThrow(
                    () ->
                        new ConfigException(
                            "no member named '"
                                + id
                                + "'; members are "
                                + members.stream().map(Member::getName).toList()));
        var resp =
            Calls.await(
                c.getClusterClient().removeMember(m.getId()), "member remove", endpoints.urls());
        System.out.println("removed " + id);
        print(resp.getMembers());
      }
      return 0;
    }
  }
}
