package io.mapsync.agent.kernel;

import io.mapsync.agent.config.AgentConfig;
import io.mapsync.agent.config.MapConfig;
import io.mapsync.agent.node.AgentNode;
import io.mapsync.bpf.BpfMap;
import io.mapsync.wire.MapType;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * Several real agents in one JVM: each with its own Raft member on loopback, its own data dir and
 * its own kernel map pinned under a per-test directory (maps are kernel-global, so every agent
 * needs its own instance). Everything is removed on close.
 */
final class TestAgents implements AutoCloseable {
  static final String MAP = "sessions";
  final Path pinRoot;
  final Path dataRoot;
  final Map<String, String> peers = new LinkedHashMap<>();

  /** Client (etcd API) addresses of the agents that serve one; none unless a test adds them. */
  final Map<String, String> clients = new java.util.concurrent.ConcurrentHashMap<>();

  final Map<String, AgentNode> nodes = new LinkedHashMap<>();
  private final List<AgentNode> all = new ArrayList<>();
  private final List<CompletableFuture<AgentNode>> starting = new ArrayList<>();
  private final MapType type;
  private final int keySize;
  private final int valueSize;
  private final int maxEntries;
  private final MapConfig.CaptureTier tier;
  private final Duration antiEntropy;

  /** The log backend every agent uses (the embedded store unless a test sets etcd). */
  AgentConfig.StoreConfig store =
      new AgentConfig.StoreConfig(AgentConfig.Backend.RATIS, List.of(), "", Map.of());

  /** A second map of the same shape, in this Raft group (none unless a test sets a group). */
  String secondMapGroup;

  static final String SECOND_MAP = "nat";

  /** What an LRU eviction means (replicated unless a test keeps evictions local). */
  MapConfig.LruEviction lruEviction = MapConfig.LruEviction.REPLICATE;

  TestAgents(
      int voters,
      MapType type,
      int keySize,
      int valueSize,
      int maxEntries,
      MapConfig.CaptureTier tier,
      Duration antiEntropy)
      throws IOException {
    this.type = type;
    this.keySize = keySize;
    this.valueSize = valueSize;
    this.maxEntries = maxEntries;
    this.tier = tier;
    this.antiEntropy = antiEntropy;
    String run = "t" + ProcessHandle.current().pid() + "-" + System.nanoTime() % 1_000_000;
    this.pinRoot = Path.of("/sys/fs/bpf/mapsync-test", run);
    this.dataRoot = Files.createTempDirectory("mapsync-agents");
    for (int i = 1; i <= voters; i++) {
      peers.put("n" + i, "127.0.0.1:" + freePort());
    }
  }

  /** Gives every voter a client port (the etcd v3 API), for tests that use the CLI or etcdctl. */
  void serveClients() throws IOException {
    for (String id : peers.keySet()) {
      clients.put(id, "127.0.0.1:" + freePort());
    }
  }

  /** A free loopback port never handed out twice in this JVM: bind(0) can repeat one. */
  static int freePort() throws IOException {
    return io.mapsync.lab.LoopbackPorts.free();
  }

  AgentConfig config(String id, boolean join, List<String> listeners) {
    MapConfig map =
        new MapConfig(
            MAP,
            null,
            type,
            keySize,
            valueSize,
            maxEntries,
            pinRoot.resolve(id).resolve(MAP),
            tier,
            Duration.ofMillis(200),
            lruEviction);
    return new AgentConfig(
        "mapsync",
        id,
        dataRoot.resolve(id),
        peers,
        listeners,
        join,
        clients.getOrDefault(id, ""),
        "",
        store,
        new AgentConfig.Batching(4096, Duration.ofNanos(100_000)),
        antiEntropy,
        secondMapGroup == null ? List.of(map) : List.of(map, secondMap(id)),
        AgentConfig.DEFAULT_EMIT_PIN_ROOT);
  }

  private MapConfig secondMap(String id) {
    return new MapConfig(
        SECOND_MAP,
        null,
        type,
        keySize,
        valueSize,
        maxEntries,
        pinRoot.resolve(id).resolve(SECOND_MAP),
        tier,
        Duration.ofMillis(200),
        lruEviction,
        Duration.ZERO,
        secondMapGroup);
  }

  /** Starts every voter in parallel (each waits for a leader to bootstrap). */
  void startVoters() throws Exception {
    List<Thread> starters = new ArrayList<>();
    Map<String, AgentNode> started = new java.util.concurrent.ConcurrentHashMap<>();
    List<Throwable> errors = new java.util.concurrent.CopyOnWriteArrayList<>();
    for (String id : peers.keySet()) {
      Thread t =
          new Thread(
              () -> {
                try {
                  started.put(id, AgentNode.start(config(id, false, List.of())));
                } catch (Throwable e) {
                  errors.add(e);
                }
              });
      starters.add(t);
      t.start();
    }
    for (Thread t : starters) {
      t.join();
    }
    for (String id : peers.keySet()) {
      if (started.containsKey(id)) {
        nodes.put(id, started.get(id));
        all.add(started.get(id));
      }
    }
    if (!errors.isEmpty()) {
      throw new AssertionError("an agent did not start", errors.get(0));
    }
  }

  AgentNode start(AgentConfig config) {
    AgentNode node = AgentNode.start(config);
    synchronized (this) {
      nodes.put(config.id(), node);
      all.add(node);
    }
    return node;
  }

  /**
   * Starts an agent on another thread: a joining agent reports ready only once a running member has
   * added it. Closed with the others, even if it becomes ready only after the test gave up on it.
   */
  CompletableFuture<AgentNode> startAsync(AgentConfig config) {
    CompletableFuture<AgentNode> f = CompletableFuture.supplyAsync(() -> start(config));
    starting.add(f);
    return f;
  }

  void stop(String id) {
    AgentNode node = nodes.remove(id);
    if (node != null) {
      node.close();
    }
  }

  /** A second handle on an agent's kernel map (the test's own, closed by the caller). */
  BpfMap openMap(String id) {
    return openMap(id, MAP);
  }

  BpfMap openMap(String id, String map) {
    return BpfMap.openPinned(pinRoot.resolve(id).resolve(map));
  }

  int mapId(String id) {
    try (BpfMap m = openMap(id)) {
      return m.id();
    }
  }

  @Override
  public void close() throws IOException {
    for (CompletableFuture<AgentNode> f : starting) {
      try {
        f.get(60, TimeUnit.SECONDS);
      } catch (Exception e) {
        // it did not start: nothing of it to close
      }
    }
    for (AgentNode n : all) {
      n.close();
    }
    if (Files.exists(pinRoot)) {
      try (Stream<Path> s = Files.walk(pinRoot)) {
        s.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
      }
    }
    try (Stream<Path> s = Files.walk(dataRoot)) {
      s.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    }
  }
}
