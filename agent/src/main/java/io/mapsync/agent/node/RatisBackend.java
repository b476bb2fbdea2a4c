package io.mapsync.agent.node;

import io.mapsync.agent.config.AgentConfig;
import io.mapsync.agent.config.ConfigException;
import io.mapsync.raft.ratis.RaftGroupSpec;
import io.mapsync.raft.ratis.RatisConfig;
import io.mapsync.raft.ratis.RatisNode;
import io.mapsync.store.StateStore;
import io.mapsync.store.StoreException;
import io.mapsync.store.cluster.ServedCluster;
import io.mapsync.tls.TlsIdentity;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;

/** The embedded store: this agent is a member of the Ratis group. */
final class RatisBackend implements Backend {
  private final RatisNode node;

  private RatisBackend(RatisNode node) {
    this.node = node;
  }

  static RatisBackend start(AgentConfig config, TlsIdentity tls) {
    RatisConfig rc;
    try {
      rc =
          new RatisConfig(
              config.id(),
              config.peers(),
              new HashSet<>(config.listeners()),
              config.dataDir(),
              null,
              config.join(),
              null,
              clientAddresses(config),
              config.clusterName(),
              config.store().raftProperties());
    } catch (IllegalArgumentException e) {
      throw new ConfigException(e.getMessage(), e);
    }
    try {
      return new RatisBackend(RatisNode.start(rc, tls, groups(config)));
    } catch (IOException e) {
      throw new ConfigException(
          "cannot start the embedded store in " + config.dataDir() + ": " + e.getMessage(), e);
    }
  }

  private static List<RaftGroupSpec> groups(AgentConfig config) {
    return config.store().groups().stream()
        .map(g -> new RaftGroupSpec(g.name(), g.members()))
        .toList();
  }

  @Override
  public Map<String, ServedCluster> groupClusters() {
    Map<String, ServedCluster> out = new LinkedHashMap<>();
    node.groups().forEach(out::put);
    return out;
  }

  /** Every group's member of this server (the default group first). */
  List<RatisNode> groupNodes() {
    List<RatisNode> out = new ArrayList<>();
    out.add(node);
    out.addAll(node.groups().values());
    return out;
  }

  private static Map<String, String> clientAddresses(AgentConfig config) {
    return config.clientAddress().isEmpty()
        ? Map.of()
        : Map.of(config.id(), config.clientAddress());
  }

  @Override
  public StateStore store() {
    return node.store();
  }

  @Override
  public Optional<ServedCluster> cluster() {
    return Optional.of(node);
  }

  /**
   * The member died (Ratis stopped its division), or its storage failed (Ratis closed a log it
   * could not write but keeps the division running; the replica is failed instead, see
   * ReplicaStateMachine.notifyLogFailed). Either way the agent must stop.
   */
  @Override
  public void onFailure(Consumer<StoreException> listener) {
    for (RatisNode n : groupNodes()) {
      n.onMemberFailure(listener);
      n.localState().onFailure(listener);
    }
  }

  @Override
  public void close() {
    node.close();
  }
}
