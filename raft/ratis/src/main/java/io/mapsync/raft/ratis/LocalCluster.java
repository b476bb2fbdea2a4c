package io.mapsync.raft.ratis;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * Several members in this process on loopback ports, each with its own directory under one base
 * directory: for benchmarks and tests. Members are named n1, n2, ...; any can be stopped, restarted
 * from its directory, or wiped and started empty.
 */
public final class LocalCluster implements AutoCloseable {
  private final Path base;
  private final Transport transport;
  private final Map<String, String> settings;
  private final List<RaftGroupSpec> groups;
  private final Map<String, RatisConfig> configs = new TreeMap<>();
  private final Map<String, RatisNode> running = new ConcurrentSkipListMap<>();

  private LocalCluster(
      Path base, Transport transport, Map<String, String> settings, List<RaftGroupSpec> groups) {
    this.base = base;
    this.transport = transport;
    this.settings = Map.copyOf(settings);
    this.groups = List.copyOf(groups);
  }

  /**
   * Starts {@code voters} voters and {@code listeners} listeners (n1..nV are voters, the rest
   * listeners) and waits until one of them is leader.
   */
  public static LocalCluster start(
      Path base, int voters, int listeners, Transport transport, Map<String, String> settings)
      throws IOException, InterruptedException {
    return start(base, voters, listeners, transport, settings, List.of());
  }

  /** As above, every member's server also hosting these further Raft groups (multi-raft). */
  public static LocalCluster start(
      Path base,
      int voters,
      int listeners,
      Transport transport,
      Map<String, String> settings,
      List<RaftGroupSpec> groups)
      throws IOException, InterruptedException {
    LocalCluster cluster = new LocalCluster(base, transport, settings, groups);
    try {
      Map<String, String> peers = new LinkedHashMap<>();
      for (int i = 1; i <= voters + listeners; i++) {
        peers.put("n" + i, "127.0.0.1:" + freePort());
      }
      for (String id : peers.keySet()) {
        RatisConfig.Builder b =
            RatisConfig.builder(id)
                .peers(peers)
                .dataDir(base.resolve(id))
                .transport(transport)
                .settings(settings);
        peers.keySet().stream().skip(voters).forEach(b::listener);
        cluster.configs.put(id, b.build());
      }
      for (String id : peers.keySet()) {
        cluster.restart(id);
      }
      cluster.leader(Duration.ofSeconds(30));
      return cluster;
    } catch (IOException | RuntimeException | InterruptedException e) {
      cluster.close();
      throw e;
    }
  }

  /** A port nobody listens on right now (bind to port 0, read it, release it). */
  public static int freePort() {
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      s.setReuseAddress(true);
      return s.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public RatisNode node(String id) {
    RatisNode n = running.get(id);
    if (n == null) {
      throw new IllegalArgumentException(
          id + " is not running (running: " + running.keySet() + ")");
    }
    return n;
  }

  /** The running members, by id. */
  public Map<String, RatisNode> running() {
    return Map.copyOf(running);
  }

  public Set<String> ids() {
    return Set.copyOf(configs.keySet());
  }

  /** Waits until a running member is leader and returns it. */
  public RatisNode leader(Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (System.nanoTime() < deadline) {
      for (RatisNode n : running.values()) {
        if (n.isLeader()) {
          return n;
        }
      }
      TimeUnit.MILLISECONDS.sleep(10);
    }
    throw new IllegalStateException("no leader among " + running.keySet() + " after " + timeout);
  }

  /** Running members other than the given one. */
  public List<RatisNode> others(RatisNode node) {
    return running.values().stream().filter(n -> n != node).toList();
  }

  /** Stops a member (closes its server and client); its directory stays. */
  public void stop(String id) {
    RatisNode n = running.remove(id);
    if (n != null) {
      n.close();
    }
  }

  /** Starts a configured member from its directory (again). */
  public RatisNode restart(String id) throws IOException {
    if (running.containsKey(id)) {
      throw new IllegalStateException(id + " is running");
    }
    RatisNode n = RatisNode.start(configs.get(id), null, groups);
    running.put(id, n);
    return n;
  }

  /** Stops a member and deletes its directory, as if its disk had been replaced. */
  public void wipe(String id) throws IOException {
    stop(id);
    deleteTree(configs.get(id).dataDir());
  }

  /**
   * Starts a new member in join mode: it knows the running members' addresses and waits to be added
   * (use {@link RatisNode#addMember} on a running member).
   */
  public RatisNode startJoining(String id, boolean listener) throws IOException {
    return startJoining(id, listener, "127.0.0.1:" + freePort());
  }

  /**
   * Starts a removed and wiped member in join mode at its old address (Ratis keeps a connection to
   * a peer id, so a member that comes back under its id must come back at its address).
   */
  public RatisNode rejoin(String id) throws IOException {
    RatisConfig old = configs.get(id);
    return startJoining(id, old.listener(), old.address());
  }

  private RatisNode startJoining(String id, boolean listener, String address) throws IOException {
    Map<String, String> peers = new LinkedHashMap<>();
    running.forEach((k, v) -> peers.put(k, v.config().address()));
    RatisConfig.Builder b =
        RatisConfig.builder(id)
            .peers(peers)
            .join(true)
            .address(address)
            .dataDir(base.resolve(id))
            .transport(transport)
            .settings(settings);
    if (listener) {
      b.listener(id);
    }
    RatisConfig c = b.build();
    configs.put(id, c);
    return restart(id);
  }

  public RatisConfig config(String id) {
    return configs.get(id);
  }

  /**
   * Stops every running member, in parallel (a member's close waits for its connections to drain).
   */
  @Override
  public void close() {
    List<RatisNode> nodes = new ArrayList<>(running.values());
    running.clear();
    nodes.parallelStream().forEach(RatisNode::close);
  }

  /** Deletes a directory tree (no-op if absent). */
  public static void deleteTree(Path dir) throws IOException {
    if (!Files.exists(dir)) {
      return;
    }
    try (Stream<Path> s = Files.walk(dir)) {
      for (Path p : s.sorted(Comparator.reverseOrder()).toList()) {
        Files.delete(p);
      }
    }
  }
}
