package io.mapsync.examples.lb;

import io.mapsync.lab.AgentProcess;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The experiment's mapsync agents, as OS processes of the real binary (agent/target/mapsync.jar):
 * lb1 and lb2 beside their LB hosts' datapaths plus a witness w are the three voters; lb3, the
 * agent of a spare LB host, is in the configuration from the start as a listener (it receives the
 * log, never votes, so the voters commit without it) and starts only when that host comes up. Raft
 * and the etcd API run on the host's loopback. Each LB agent replicates its host's pinned
 * lb_sessions map with the capture tier given for it (emit reads the host's emit ring; scan diffs
 * the map every 100 ms).
 */
final class Agents implements AutoCloseable {
  static final List<String> VOTERS = List.of("lb1", "lb2", "w");
  static final String SPARE = "lb3";
  private static final Duration START = Duration.ofSeconds(120);

  private final Path jar;
  private final Path dir;
  private final Topology topology;
  private final Map<String, String> captureById;
  private final Map<String, Integer> raftPorts = new LinkedHashMap<>();
  private final Map<String, Integer> clientPorts = new LinkedHashMap<>();
  private final Map<String, Integer> metricsPorts = new LinkedHashMap<>();
  private final Map<String, AgentProcess> running = new LinkedHashMap<>();
  private boolean replicateConfig;

  Agents(Path jar, Path dir, Topology topology, Map<String, String> captureById)
      throws IOException {
    this.jar = jar;
    this.dir = dir;
    this.topology = topology;
    this.captureById = Map.copyOf(captureById);
    for (String id : List.of("lb1", "lb2", "w", SPARE)) {
      raftPorts.put(id, freePort());
      clientPorts.put(id, freePort());
      metricsPorts.put(id, freePort());
    }
  }

  /**
   * The LB agents also replicate the control plane's maps (LbLayout.CONFIG_MAPS, scan tier), so a
   * configuration applied on one LB host reaches the others. Call before starting the agents.
   */
  Agents replicateConfig() {
    replicateConfig = true;
    return this;
  }

  /** An agent's Prometheus endpoint. */
  Metrics metrics(String id) throws IOException {
    return Metrics.scrape(metricsPorts.get(id));
  }

  /**
   * Starts lb1, lb2 and w together (each waits for a leader to bootstrap) and waits until all are
   * ready.
   */
  void startVoters() throws IOException, InterruptedException {
    for (String id : VOTERS) {
      start(id);
    }
    for (String id : VOTERS) {
      running.get(id).awaitReady(START);
    }
  }

  /**
   * Starts the spare LB host's agent; returns once it reports ready, which it does only after
   * installing the log's sessions into its host's map.
   */
  void startSpare() throws IOException, InterruptedException {
    start(SPARE).awaitReady(START);
  }

  /** The host died: SIGKILL, no shutdown hook, no goodbye to the cluster. */
  void kill(String id) throws InterruptedException {
    running.remove(id).kill();
  }

  private String config(String id) {
    StringBuilder peers = new StringBuilder();
    raftPorts.forEach(
        (peer, port) ->
            peers
                .append(peers.length() == 0 ? "" : ", ")
                .append(peer)
                .append(": 127.0.0.1:")
                .append(port));
    StringBuilder y =
        new StringBuilder()
            .append("id: ")
            .append(id)
            .append('\n')
            .append("data_dir: ")
            .append(dir.resolve("data").resolve(id))
            .append('\n')
            .append("peers: {")
            .append(peers)
            .append("}\n")
            .append("listeners: [")
            .append(SPARE)
            .append("]\n")
            .append("client_address: 127.0.0.1:")
            .append(clientPorts.get(id))
            .append('\n')
            .append("metrics_address: 127.0.0.1:")
            .append(metricsPorts.get(id))
            .append('\n');
    if (id.startsWith("lb")) {
      Path pins = topology.pinRoot(Integer.parseInt(id.substring(2)));
      y.append("emit_pin_root: ")
          .append(pins)
          .append('\n')
          .append("maps:\n")
          .append("  - name: lb_sessions\n")
          .append("    pinned: ")
          .append(pins.resolve(LbLayout.SESSIONS_MAP))
          .append('\n')
          .append("    capture: ")
          .append(captureById.getOrDefault(id, "emit"))
          .append('\n')
          .append("    scan_interval: 100ms\n")
          // Each host's LRU ages its own sessions; an eviction here says nothing about the other
          // hosts.
          .append("    lru_eviction: local\n");
      if (replicateConfig) {
        for (String map : LbLayout.CONFIG_MAPS) {
          // Written by the control plane with bpf(): a scan finds its writes.
          y.append("  - name: ")
              .append(map)
              .append("\n    pinned: ")
              .append(pins.resolve(map))
              .append("\n    capture: scan\n    scan_interval: 100ms\n");
        }
      }
    }
    return y.toString();
  }

  private AgentProcess start(String id) throws IOException {
    Files.createDirectories(dir);
    Path config = Files.writeString(dir.resolve(id + ".yaml"), config(id));
    AgentProcess p =
        new AgentProcess(
            id,
            "lb",
            new AgentProcess.Launch(
                    List.of(),
                    List.of(),
                    null,
                    List.of("agent", "--config", config.toString()),
                    false)
                .withBinary(jar),
            dir.resolve(id + ".log"));
    p.start();
    running.put(id, p);
    return p;
  }

  /** Never the same port twice in this JVM, and below the ephemeral range (see LoopbackPorts). */
  private static int freePort() throws IOException {
    return io.mapsync.lab.LoopbackPorts.free();
  }

  @Override
  public void close() {
    List<AgentProcess> all = new ArrayList<>(running.values());
    java.util.Collections.reverse(all);
    for (AgentProcess p : all) {
      try {
        // SIGTERM: the agent's shutdown hook leaves the cluster cleanly
        p.stop(java.time.Duration.ofSeconds(15));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    running.clear();
  }
}
