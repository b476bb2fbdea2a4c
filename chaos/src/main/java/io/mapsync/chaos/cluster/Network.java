package io.mapsync.chaos.cluster;

import io.mapsync.lab.Shell;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * The lab network: one network namespace per member, each joined by a veth pair to a bridge in this
 * namespace, so members talk to each other over a real link that can be cut, and the test process
 * (on the bridge address) reaches every member. Faults act inside a member's namespace only
 * (nftables there, its end of the link), so nothing outside the lab is ever touched.
 *
 * <pre>
 *   test process 10.213.S.1 (bridge mc&lt;tag&gt;b)
 *     |-- veth mc&lt;tag&gt;v1 ==== eth0 10.213.S.11 in netns mschaos-&lt;pid&gt;-&lt;run&gt;-n1
 *     |-- veth mc&lt;tag&gt;v2 ==== eth0 10.213.S.12 in netns ...-n2
 * </pre>
 */
public final class Network implements AutoCloseable {
  /** The nftables table a partition lives in, inside a member's namespace. */
  static final String NFT_TABLE = "mapsync_chaos";

  private final LabNames names;
  private final int subnet;
  private final Map<String, Integer> index = new LinkedHashMap<>();

  private Network(LabNames names, int subnet, List<String> ids) {
    this.names = names;
    this.subnet = subnet;
    for (int i = 0; i < ids.size(); i++) {
      index.put(ids.get(i), i + 1);
    }
  }

  /** Builds the bridge and one namespace per member; on failure removes what was built. */
  public static Network create(LabNames names, List<String> ids) throws IOException {
    Network net = new Network(names, Subnets.pickFree(), ids);
    try {
      net.build();
      return net;
    } catch (IOException | RuntimeException e) {
      net.close();
      throw e;
    }
  }

  private void build() throws IOException {
    String bridge = names.bridge();
    Shell.run("ip", "link", "add", bridge, "type", "bridge");
    Shell.run("ip", "addr", "add", hostAddress() + "/24", "dev", bridge);
    Shell.run("ip", "link", "set", bridge, "up");
    for (var e : index.entrySet()) {
      String ns = names.netns(e.getKey());
      String hostEnd = names.veth(e.getValue());
      Shell.run("ip", "netns", "add", ns);
      Shell.run("ip", "link", "add", hostEnd, "type", "veth", "peer", "name", "eth0", "netns", ns);
      Shell.run("ip", "link", "set", hostEnd, "master", bridge, "up");
      Shell.run("ip", "-n", ns, "addr", "add", address(e.getKey()) + "/24", "dev", "eth0");
      Shell.run("ip", "-n", ns, "link", "set", "eth0", "up");
      Shell.run("ip", "-n", ns, "link", "set", "lo", "up");
    }
  }

  /** The address the test process has on the bridge. */
  public String hostAddress() {
    return "10.213." + subnet + ".1";
  }

  /** A member's address inside its namespace. */
  public String address(String id) {
    return "10.213." + subnet + "." + (10 + index(id));
  }

  /** The namespace file a process enters to live in a member's network (nsenter --net=...). */
  public Path netnsPath(String id) {
    return Path.of("/run/netns", names.netns(id));
  }

  private int index(String id) {
    Integer i = index.get(id);
    if (i == null) {
      throw new IllegalArgumentException("no member " + id + " in the lab " + index.keySet());
    }
    return i;
  }

  /**
   * Drops every packet between a member and the given other members, both ways, with nftables in
   * the member's namespace. The test process can still reach it: clients see a member that is up
   * but cannot reach its peers (the interesting case: it accepts requests it cannot serve).
   */
  public void partition(String id, Collection<String> from) throws IOException {
    filter(id, from, "drop", "drop");
  }

  /** Which way a one-way cut drops. */
  public enum Direction {
    INBOUND,
    OUTBOUND
  }

  /**
   * Drops only what the member receives from the others, or only what it sends them: it hears its
   * peers but is not heard (or the reverse), which elections and leases must survive.
   */
  public void cutOneWay(String id, Collection<String> from, Direction direction)
      throws IOException {
    filter(
        id,
        from,
        direction == Direction.INBOUND ? "drop" : null,
        direction == Direction.OUTBOUND ? "drop" : null);
  }

  /**
   * Drops that percentage of the packets between the member and the others, at random, both ways.
   */
  public void lossy(String id, Collection<String> from, int percent) throws IOException {
    if (percent < 1 || percent > 99) {
      throw new IllegalArgumentException("a lossy link drops 1 to 99 % of packets, not " + percent);
    }
    String verdict = "numgen random mod 100 < " + percent + " drop";
    filter(id, from, verdict, verdict);
  }

  /**
   * One nftables table in the member's namespace: a rule on what comes from the peers, and on what
   * goes to them.
   */
  private void filter(String id, Collection<String> from, String inbound, String outbound)
      throws IOException {
    String peers = from.stream().map(this::address).collect(Collectors.joining(", "));
    String rules =
        "table inet "
            + NFT_TABLE
            + " {\n"
            + (inbound == null
                ? ""
                : "  chain in { type filter hook input priority 0; policy accept; ip saddr { "
                    + peers
                    + " } "
                    + inbound
                    + "; }\n")
            + (outbound == null
                ? ""
                : "  chain out { type filter hook output priority 0; policy accept; ip daddr { "
                    + peers
                    + " } "
                    + outbound
                    + "; }\n")
            + "}\n";
    nft(id, rules, "-f", "-");
  }

  /** Takes the member's link down: nobody, not even the test process, reaches it. */
  public void isolate(String id) throws IOException {
    Shell.run("ip", "-n", names.netns(id), "link", "set", "eth0", "down");
  }

  /**
   * Slows the member's outgoing traffic with a token bucket (tc tbf): packets queue behind a low
   * rate, so every message it sends arrives late, without netem and without touching clocks.
   */
  public void slow(String id, String rate, String latency) throws IOException {
    Shell.run(
        "tc",
        "-n",
        names.netns(id),
        "qdisc",
        "replace",
        "dev",
        "eth0",
        "root",
        "tbf",
        "rate",
        rate,
        "burst",
        "4kb",
        "latency",
        latency);
  }

  /** Undoes every fault on the member's network: nftables table, link state, qdisc. */
  public void heal(String id) throws IOException {
    String ns = names.netns(id);
    List<IOException> failures = new ArrayList<>();
    try {
      if (Shell.run("nsenter", "--net=" + netnsPath(id), "nft", "list", "tables")
          .contains(NFT_TABLE)) {
        nft(id, null, "delete", "table", "inet", NFT_TABLE);
      }
    } catch (IOException e) {
      failures.add(e);
    }
    Shell.quietly("tc", "-n", ns, "qdisc", "del", "dev", "eth0", "root");
    try {
      Shell.run("ip", "-n", ns, "link", "set", "eth0", "up");
    } catch (IOException e) {
      failures.add(e);
    }
    if (!failures.isEmpty()) {
      throw failures.get(0);
    }
  }

  private void nft(String id, String stdin, String... args) throws IOException {
    List<String> cmd = new ArrayList<>(List.of("nsenter", "--net=" + netnsPath(id), "nft"));
    cmd.addAll(List.of(args));
    Shell.run(cmd, stdin);
  }

  /**
   * Deletes the namespaces (which deletes their veths, nftables tables and qdiscs) and the bridge.
   */
  @Override
  public void close() {
    for (String id : index.keySet()) {
      Shell.quietly("ip", "netns", "del", names.netns(id));
    }
    Shell.quietly("ip", "link", "del", names.bridge());
  }
}
