package io.mapsync.agent.node;

import com.google.protobuf.ByteString;
import io.mapsync.agent.config.AgentConfig;
import io.mapsync.agent.config.ConfigException;
import io.mapsync.agent.config.HostPort;
import io.mapsync.agent.config.MapConfig;
import io.mapsync.agent.metrics.AgentMetrics;
import io.mapsync.agent.metrics.MetricsServer;
import io.mapsync.agent.sync.BatchPolicy;
import io.mapsync.agent.sync.LocalMap;
import io.mapsync.agent.sync.SyncLoop;
import io.mapsync.bpf.capture.CaptureSession;
import io.mapsync.bpf.capture.Tier;
import io.mapsync.raft.etcdapi.EtcdApiOptions;
import io.mapsync.raft.etcdapi.EtcdApiServer;
import io.mapsync.store.StoreException;
import io.mapsync.store.state.KeyLayout;
import io.mapsync.tls.TlsIdentity;
import io.mapsync.wire.KvOp;
import io.mapsync.wire.KvPut;
import io.mapsync.wire.KvTxn;
import java.io.IOException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One running agent: its maps, its log backend, the etcd API and metrics endpoints, the sync loop
 * and capture. Start-up order is the guarantee: maps are opened (config errors surface before
 * anything else), the backend starts, bootstrap installs the store's content, and only then does
 * capture start and the agent report ready.
 */
public final class AgentNode implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(AgentNode.class);

  private final AgentConfig config;
  private final AgentMetrics metrics = new AgentMetrics();
  private final List<KernelMap> maps = new ArrayList<>();
  private final List<AutoCloseable> closeables = new ArrayList<>();
  private final CompletableFuture<StoreException> failure = new CompletableFuture<>();
  private final AtomicBoolean closed = new AtomicBoolean();
  private Backend backend;
  private SyncLoop loop;

  /** The sync loops of the further Raft groups that carry maps of this agent, by group. */
  private final java.util.Map<String, SyncLoop> groupLoops = new java.util.LinkedHashMap<>();

  /** Each map's loop (its group's), by replicated name. */
  private final java.util.Map<String, SyncLoop> loopOfMap =
      new java.util.concurrent.ConcurrentHashMap<>();

  private CaptureSession capture;
  private EtcdApiServer api;
  private MetricsServer metricsServer;
  private StatusPoller poller;
  private Thread starter;

  /** Mutual TLS for peers, clients and the etcd backend, or null. */
  private final TlsIdentity tls;

  private AgentNode(AgentConfig config, TlsIdentity tls) {
    this.config = config;
    this.tls = tls;
    if (tls != null) {
      closeables.add(tls);
    }
  }

  /** Starts an agent; returns once it is ready (bootstrapped and capturing). */
  public static AgentNode start(AgentConfig config) {
    TlsIdentity tls = AgentTls.open(config);
    return start(
        config,
        c ->
            c.store().backend() == AgentConfig.Backend.RATIS
                ? RatisBackend.start(c, tls)
                : EtcdBackend.start(c, tls),
        tls);
  }

  static AgentNode start(AgentConfig config, Function<AgentConfig, Backend> backends) {
    return start(config, backends, null);
  }

  private static AgentNode start(
      AgentConfig config, Function<AgentConfig, Backend> backends, TlsIdentity tls) {
    AgentNode node = new AgentNode(config, tls);
    // A store failure during start-up (a full disk) interrupts whatever start-up waits for, so
    // the agent stops at once with that reason instead of after a request timeout with another.
    node.starter = Thread.currentThread();
    node.failure.thenRun(node::interruptStart);
    try {
      node.startAll(backends);
      node.startDone();
      if (node.failure.isDone()) {
        throw node.failure.join();
      }
      return node;
    } catch (RuntimeException e) {
      node.startDone();
      node.close();
      throw node.failure.isDone() ? node.failure.join() : e;
    }
  }

  private synchronized void interruptStart() {
    if (starter != null) {
      starter.interrupt();
    }
  }

  /** Start-up is over: no interrupt may reach the caller's thread after this. */
  private void startDone() {
    synchronized (this) {
      starter = null;
    }
    if (failure.isDone()) {
      Thread.interrupted();
    }
  }

  private void startAll(Function<AgentConfig, Backend> backends) {
    for (int i = 0; i < config.maps().size(); i++) {
      maps.add(MapOpener.open(config.maps().get(i), i));
    }
    backend = backends.apply(config);
    backend.onFailure(this::storeFailed);
    startEndpoints();
    if (backend.cluster().isPresent()) {
      QuorumWait.await(backend, config.id());
      publishClientAddress();
    }
    String origin = config.id() + "#" + System.currentTimeMillis();
    // Each Raft group has its own log and revisions, so each gets its own sync loop over its maps;
    // the default group's loop is the one a single-group agent has always run.
    loop = newLoop(backend.store(), origin, mapsOf(MapConfig.DEFAULT_GROUP));
    maps.forEach(m -> loopOfMap.put(m.name(), loop));
    backend
        .groupClusters()
        .forEach(
            (group, member) -> {
              List<LocalMap> own = mapsOf(group);
              if (!own.isEmpty()) {
                SyncLoop l = newLoop(member.store(), origin, own);
                groupLoops.put(group, l);
                own.forEach(m -> loopOfMap.put(m.name(), l));
              }
            });
    // Capture is attached before bootstrap (its events held until bootstrap is done), so a
    // network-function write made while the maps are being replaced is neither lost nor undone.
    CaptureBridge bridge = maps.isEmpty() ? null : startCapture();
    long revision = loop.start();
    for (var e : groupLoops.entrySet()) {
      long r = e.getValue().start();
      LOG.info("group '{}' ready at revision {}", e.getKey(), r);
    }
    if (bridge != null) {
      int held = bridge.release();
      if (held > 0) {
        LOG.info("{} change(s) captured during bootstrap handed to the log", held);
      }
    }
    poller = new StatusPoller(backend, loop, metrics, config.id());
    metrics.ready(true);
    LOG.info("agent {} ready at revision {} with {} map(s)", config.id(), revision, maps.size());
  }

  private SyncLoop newLoop(io.mapsync.store.StateStore store, String origin, List<LocalMap> own) {
    return new SyncLoop(
        store,
        origin,
        own,
        new BatchPolicy(
            Math.min(config.batching().maxDeltas(), backend.maxBatchDeltas()),
            config.batching().linger(),
            java.time.Duration.ofSeconds(1)),
        metrics,
        config.antiEntropyInterval(),
        Clock.systemUTC());
  }

  /** Every Raft group as this member sees it (default first), with this agent's maps in each. */
  private CompletableFuture<List<GroupStatus>> groupStatuses() {
    java.util.Map<String, io.mapsync.store.cluster.ServedCluster> all =
        new java.util.LinkedHashMap<>();
    all.put(MapConfig.DEFAULT_GROUP, backend.cluster().orElseThrow());
    all.putAll(backend.groupClusters());
    List<CompletableFuture<GroupStatus>> each = new ArrayList<>();
    all.forEach(
        (name, member) -> {
          List<String> names = mapsOf(name).stream().map(LocalMap::name).toList();
          each.add(
              member
                  .status()
                  .thenApply(s -> new GroupStatus(name, s.leader(), s.term(), s.members(), names)));
        });
    return CompletableFuture.allOf(each.toArray(CompletableFuture[]::new))
        .thenApply(v -> each.stream().map(CompletableFuture::join).toList());
  }

  /** This agent's maps in a group, in configuration order. */
  private List<LocalMap> mapsOf(String group) {
    return maps.stream()
        .filter(m -> m.config().group().equals(group))
        .map(m -> (LocalMap) m)
        .toList();
  }

  /**
   * Records this agent's client address in the store ({@code /mapsync/members/<id>}), so that the
   * member list of every member shows it; the Raft configuration carries peer addresses only. Not
   * waited for: a failure costs only the address in other members' listings.
   */
  private void publishClientAddress() {
    if (config.clientAddress().isEmpty()) {
      return;
    }
    KvTxn put =
        KvTxn.newBuilder()
            .addSuccess(
                KvOp.newBuilder()
                    .setPut(
                        KvPut.newBuilder()
                            .setKey(KeyLayout.memberKey(config.id()))
                            .setValue(ByteString.copyFromUtf8(config.clientAddress()))))
            .build();
    backend
        .store()
        .txn(put)
        .whenComplete(
            (r, e) -> {
              if (e != null) {
                LOG.warn(
                    "could not record this agent's client address {} in the store ({}); other members will not list it",
                    config.clientAddress(),
                    e.getMessage());
              }
            });
  }

  private void startEndpoints() {
    if (!config.clientAddress().isEmpty()) {
      var cluster =
          backend
              .cluster()
              .orElseThrow(
                  () ->
                      new ConfigException(
                          "client_address: the etcd v3 API is served by the embedded store only; with the etcd backend, "
                              + "point clients at the etcd cluster"));
      if (!backend.groupClusters().isEmpty()) {
        cluster = new GroupStatusCluster(cluster, this::groupStatuses);
      }
      api =
          EtcdApiServer.start(
              cluster,
              new java.net.InetSocketAddress(
                  HostPort.host(config.clientAddress()), HostPort.port(config.clientAddress())),
              EtcdApiOptions.defaults()
                  .withClusterName(config.clusterName())
                  .withReadOnlyClients(
                      config.tls() == null ? java.util.Set.of() : config.tls().readOnlyClients()),
              tls);
    }
    if (!config.metricsAddress().isEmpty()) {
      try {
        metricsServer =
            MetricsServer.start(
                metrics,
                HostPort.host(config.metricsAddress()),
                HostPort.port(config.metricsAddress()));
      } catch (IOException e) {
        throw new ConfigException(
            "metrics_address: cannot listen on " + config.metricsAddress() + ": " + e.getMessage());
      }
    }
  }

  private CaptureBridge startCapture() {
    CaptureBridge bridge = new CaptureBridge(loopOfMap::get, metrics);
    capture =
        CaptureSession.builder(bridge)
            .emitPinRoot(config.emitPinRoot())
            .idleSpin(config.batching().captureSpin())
            .build();
    pausedEverywhere(
        new ArrayList<>(allLoops()),
        () -> {
          for (KernelMap m : maps) {
            bridge.watch(m);
            MapConfig mc = m.config();
            metrics.initMap(mc.name());
            Set<Tier> tiers =
                capture.add(m.bpfMap(), Tier.valueOf(mc.capture().name()), mc.scanInterval());
            m.captureWith(capture);
            LOG.info("map '{}': capturing with {}", mc.name(), tiers);
          }
        });
    return bridge;
  }

  /** Runs the action while none of the loops applies a remote delta. */
  private static void pausedEverywhere(List<SyncLoop> loops, Runnable action) {
    if (loops.isEmpty()) {
      action.run();
    } else {
      loops.remove(0).whileApplyPaused(() -> pausedEverywhere(loops, action));
    }
  }

  private List<SyncLoop> allLoops() {
    List<SyncLoop> all = new ArrayList<>();
    all.add(loop);
    all.addAll(groupLoops.values());
    return all;
  }

  /**
   * The store failed for good: stop reporting ready; whoever runs the agent stops it (see {@link
   * #failure()}).
   */
  private void storeFailed(StoreException e) {
    metrics.ready(false);
    LOG.error("agent {} cannot go on: {}", config.id(), e.getMessage());
    failure.complete(e);
  }

  /**
   * Completes if the agent's store failed for good while it runs (its Raft member died, its disk is
   * full). The agent serves nothing useful any more; it must be closed and its process end, so that
   * a supervisor restarts it (it resumes from its data dir).
   */
  public CompletableFuture<StoreException> failure() {
    return failure;
  }

  /** The log this agent uses. */
  public io.mapsync.store.StateStore store() {
    return backend.store();
  }

  /** The embedded cluster member, when the backend is the embedded store. */
  public java.util.Optional<io.mapsync.store.cluster.ServedCluster> cluster() {
    return backend.cluster();
  }

  public SyncLoop loop() {
    return loop;
  }

  /** The sync loops of the further Raft groups that carry this agent's maps, by group name. */
  public java.util.Map<String, SyncLoop> groupLoops() {
    return java.util.Collections.unmodifiableMap(groupLoops);
  }

  public AgentMetrics metrics() {
    return metrics;
  }

  public List<KernelMap> maps() {
    return List.copyOf(maps);
  }

  /** The port the etcd API listens on (useful when configured as port 0), or -1. */
  public int clientPort() {
    return api == null ? -1 : api.port();
  }

  public int metricsPort() {
    return metricsServer == null ? -1 : metricsServer.port();
  }

  /**
   * Stops everything; idempotent (a failed agent is closed, then its shutdown hook closes it
   * again).
   */
  @Override
  public void close() {
    if (!closed.compareAndSet(false, true)) {
      return;
    }
    metrics.ready(false);
    closeQuietly(poller);
    closeQuietly(capture);
    groupLoops.values().forEach(AgentNode::closeQuietly);
    closeQuietly(loop);
    closeQuietly(api);
    closeQuietly(metricsServer);
    closeQuietly(backend);
    for (KernelMap m : maps) {
      closeQuietly(m.bpfMap());
    }
    closeables.forEach(AgentNode::closeQuietly);
  }

  private static void closeQuietly(AutoCloseable c) {
    if (c == null) {
      return;
    }
    try {
      c.close();
    } catch (Exception e) {
      LOG.warn("error while stopping {}: {}", c.getClass().getSimpleName(), e.toString());
    }
  }
}
