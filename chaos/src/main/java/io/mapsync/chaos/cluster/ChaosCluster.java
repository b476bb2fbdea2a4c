package io.mapsync.chaos.cluster;

import io.etcd.jetcd.Client;
import io.etcd.jetcd.ClientBuilder;
import io.mapsync.tls.GrpcTls;
import io.mapsync.tls.TestCa;
import io.mapsync.tls.TlsFiles;
import io.mapsync.tls.TlsIdentity;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

/**
 * A cluster of real agent processes in the lab network, and the operations faults are built from:
 * start, kill, pause, wipe, rejoin, cut links. Closing kills every process it started, removes the
 * namespaces, the bridge and the pins, and keeps the logs (in the work dir) for post-mortems.
 */
public final class ChaosCluster implements AutoCloseable {
  // generous: beside six parallel builds (load 44 on 2 cores) an agent took 77 s to reach Ratis
  static final Duration READY_TIMEOUT = Duration.ofSeconds(180);

  private final ClusterSettings settings;
  private final LabNames names;
  private final Path workDir;
  private final Network network;
  private final Map<String, ChaosMember> members = new LinkedHashMap<>();
  private final Map<String, String> peers = new LinkedHashMap<>();
  private final ClusterProbe probe;
  private final Map<String, DataDisk> disks = new LinkedHashMap<>();
  private int lastAgentId;

  /** The run's certificate authority when the lab runs with TLS, else null. */
  private final TestCa ca;

  private final Set<String> issued = new HashSet<>();
  private static final String LAB_CLIENT = "chaos-client";
  private static final Duration CERT_VALIDITY = Duration.ofDays(2);

  /** Cleans up if the JVM is stopped mid-run (Ctrl-C of a soak run). */
  private final Thread cleanupOnExit = new Thread(this::close, "chaos-cleanup");

  private boolean closed;

  private ChaosCluster(ClusterSettings settings, LabNames names, Path workDir, Network network)
      throws IOException {
    this.settings = settings;
    this.ca =
        settings.tls()
            ? TestCa.init(workDir.resolve("pki"), "mapsync chaos lab CA", CERT_VALIDITY)
            : null;
    if (ca != null) {
      ca.issue(LAB_CLIENT, List.of(), CERT_VALIDITY);
    }
    this.names = names;
    this.workDir = workDir;
    this.network = network;
    Files.createDirectories(workDir.resolve("logs"));
    Files.createDirectories(workDir.resolve("config"));
    for (int i = 1; i <= settings.members(); i++) {
      String id = "n" + i;
      peers.put(id, network.address(id) + ":" + ClusterSettings.PEER_PORT);
      lastAgentId = i;
    }
    for (String id : peers.keySet()) {
      if (!settings.dataDisk().isEmpty()) {
        disks.put(id, DataDisk.mount(names.netns(id) + "-data", dataDir(id), settings.dataDisk()));
      }
      writeConfig(id, false);
      members.put(
          id,
          new ChaosMember(
              id,
              network.netnsPath(id),
              configFile(id),
              workDir.resolve("logs").resolve(id + ".log"),
              workDir.getParent().resolve("class-sharing")));
    }
    if (!settings.fakeClock().member().isEmpty()) {
      setClock(settings.fakeClock().member(), settings.fakeClock().start());
    }
    Map<String, String> endpoints = new LinkedHashMap<>();
    peers.keySet().forEach(id -> endpoints.put(id, endpoint(id)));
    this.probe = new ClusterProbe(endpoints, this::newClient, this::memberOf);
  }

  /** Builds the lab and starts every member; returns once all report ready. */
  public static ChaosCluster start(ClusterSettings settings, Path workDir) throws IOException {
    LabJanitor.removeLeftovers();
    LabNames names = LabNames.next();
    List<String> ids = new ArrayList<>();
    for (int i = 1; i <= settings.members(); i++) {
      ids.add("n" + i);
    }
    Network network = Network.create(names, ids);
    ChaosCluster cluster;
    try {
      cluster = new ChaosCluster(settings, names, workDir, network);
    } catch (IOException | RuntimeException e) {
      network.close();
      LabJanitor.unmountDataDisks(names);
      throw e;
    }
    Runtime.getRuntime().addShutdownHook(cluster.cleanupOnExit);
    try {
      cluster.startAll();
      return cluster;
    } catch (IOException | RuntimeException e) {
      cluster.close();
      throw e;
    }
  }

  /** Voters need each other to elect a leader before any reports ready: start them together. */
  private void startAll() throws IOException {
    List<CompletableFuture<Void>> starts = new ArrayList<>();
    for (ChaosMember p : members.values()) {
      starts.add(
          CompletableFuture.runAsync(
              () -> {
                try {
                  p.start(READY_TIMEOUT);
                } catch (IOException e) {
                  throw new CompletionException(e);
                }
              }));
    }
    try {
      CompletableFuture.allOf(starts.toArray(CompletableFuture[]::new)).join();
    } catch (CompletionException e) {
      throw e.getCause() instanceof IOException io ? io : new IOException(e.getCause());
    }
  }

  private Path configFile(String id) {
    return workDir.resolve("config").resolve(id + ".yaml");
  }

  private void writeConfig(String id, boolean join) throws IOException {
    TlsFiles tls = ca == null ? null : memberCertificate(agentId(id), network.address(id));
    Map<String, String> byAgentId = new LinkedHashMap<>();
    peers.forEach((member, address) -> byAgentId.put(agentId(member), address));
    AgentConfigFile.write(
        configFile(id),
        agentId(id),
        join,
        dataDir(id),
        names.pinDir().resolve(id),
        byAgentId,
        network.address(id),
        settings,
        tls);
  }

  /** The agent's certificate, issued once per agent id, for the address its host serves on. */
  private synchronized TlsFiles memberCertificate(String agentId, String address)
      throws IOException {
    if (issued.add(agentId)) {
      ca.issue(agentId, List.of(address, "127.0.0.1"), CERT_VALIDITY);
    }
    return ca.filesOf(agentId);
  }

  /**
   * A new client of one member's etcd v3 API (no fail-over to others): over TLS with the lab's
   * client certificate when the lab runs with TLS.
   */
  public Client newClient(String id) {
    ClientBuilder b = Client.builder().endpoints(endpoint(id));
    if (ca != null) {
      b.sslContext(GrpcTls.client(TlsIdentity.load(ca.filesOf(LAB_CLIENT))));
    }
    return b.build();
  }

  public List<String> ids() {
    return List.copyOf(members.keySet());
  }

  public ChaosMember member(String id) {
    ChaosMember p = members.get(id);
    if (p == null) {
      throw new IllegalArgumentException("no member " + id);
    }
    return p;
  }

  /** The Raft member name of the agent on that lab member (see {@link #renew}). */
  public String agentId(String id) {
    ChaosMember p = members.get(id); // none yet while the constructor writes the first configs
    return p == null ? id : p.agentId();
  }

  /** The lab member whose agent has that Raft member name (the name itself if none has). */
  public String memberOf(String agentId) {
    return members.values().stream()
        .filter(p -> p.agentId().equals(agentId))
        .map(ChaosMember::id)
        .findFirst()
        .orElse(agentId);
  }

  /**
   * Gives a stopped member's host a new agent id, never used before (n4 after n1-n3): the host's
   * disk or machine was replaced and it joins as a new member. It keeps its address, its lab name
   * (so traffic and checks follow it) and its pinned map, which bootstrap must replace. Returns the
   * new id.
   */
  public String renew(String id) {
    if (member(id).running()) {
      throw new IllegalStateException("renew " + id + ": stop it first");
    }
    String fresh;
    synchronized (this) {
      fresh = "n" + ++lastAgentId;
    }
    member(id).agentId(fresh);
    return fresh;
  }

  public ClusterSettings settings() {
    return settings;
  }

  public Network network() {
    return network;
  }

  public ClusterProbe probe() {
    return probe;
  }

  /** The member's etcd v3 API. */
  public String endpoint(String id) {
    return (ca == null ? "http://" : "https://")
        + network.address(id)
        + ":"
        + ClusterSettings.CLIENT_PORT;
  }

  /** The member's Raft address, as the configuration knows it. */
  public String peerAddress(String id) {
    return peers.get(id);
  }

  public String metricsUrl(String id) {
    return "http://" + network.address(id) + ":" + ClusterSettings.METRICS_PORT + "/metrics";
  }

  /** Where the member's agent pins the replicated map. */
  public Path pin(String id) {
    return names.pinDir().resolve(id).resolve(ClusterSettings.MAP);
  }

  public Path dataDir(String id) {
    return workDir.resolve("data").resolve(id);
  }

  /** The member's data dir's own small file system ({@link ClusterSettings#dataDisk()}). */
  public DataDisk disk(String id) {
    DataDisk d = disks.get(id);
    if (d == null) {
      throw new IllegalStateException(
          id + " has no data disk of its own: the scenario's ClusterSettings need withDataDisk");
    }
    return d;
  }

  private Path clockFile(String id) {
    return workDir.resolve("clock").resolve(id);
  }

  /**
   * Sets a member's clocks for its next start: an offset and a rate as libfaketime reads them ("-1d
   * x0.5"); from then on it always starts under libfaketime.
   */
  public void setClock(String id, String spec) throws IOException {
    Files.createDirectories(clockFile(id).getParent());
    FakeClock.set(clockFile(id), spec);
    member(id).environment(FakeClock.environment(clockFile(id)));
    member(id).note("clocks set to '" + spec + "' (libfaketime) from its next start");
  }

  /**
   * The clocks a member started the run with: its {@link ClusterSettings#fakeClock()}, or the real
   * ones ("+0 x1").
   */
  public String startClock(String id) {
    return settings.fakeClock().member().equals(id) ? settings.fakeClock().start() : "+0 x1";
  }

  public Path workDir() {
    return workDir;
  }

  /** Starts a stopped member again from its data dir (a restart after a crash). */
  public void restart(String id) throws IOException {
    writeConfig(id, false);
    member(id).start(READY_TIMEOUT);
  }

  /** Deletes a stopped member's data dir: the host lost its disk. */
  public void wipe(String id) throws IOException {
    if (member(id).running()) {
      throw new IllegalStateException("wipe " + id + ": stop it first");
    }
    if (disks.containsKey(id)) {
      LabJanitor.deleteContents(dataDir(id)); // a mount point stays
    } else {
      LabJanitor.deleteTree(dataDir(id));
    }
    member(id).note("data dir " + dataDir(id) + " wiped");
  }

  /** Starts a member in join mode: it waits to be added and receives the state from the leader. */
  public void startJoining(String id) throws IOException {
    writeConfig(id, true);
    member(id).start(READY_TIMEOUT);
  }

  /** Members whose process is alive and not paused: the ones that can answer. */
  public List<String> responsive() {
    return members.values().stream()
        .filter(p -> p.running() && !p.paused())
        .map(ChaosMember::id)
        .toList();
  }

  @Override
  public void close() {
    synchronized (this) {
      if (closed) {
        return;
      }
      closed = true;
    }
    try {
      Runtime.getRuntime().removeShutdownHook(cleanupOnExit);
    } catch (IllegalStateException e) {
      // the JVM is shutting down: this is the hook running
    }
    probe.close();
    List<CompletableFuture<Void>> stops = new ArrayList<>();
    for (ChaosMember p : members.values()) {
      stops.add(
          CompletableFuture.runAsync(
              () -> {
                try {
                  p.stop("clean-up");
                } catch (InterruptedException e) {
                  Thread.currentThread().interrupt();
                }
              }));
    }
    stops.forEach(CompletableFuture::join);
    for (ChaosMember p : members.values()) {
      try {
        p.kill("clean-up");
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      } catch (RuntimeException e) {
        System.err.println("chaos: " + e.getMessage());
      }
    }
    network.close();
    disks.values().forEach(DataDisk::unmount);
    try {
      LabJanitor.deleteTree(names.pinDir());
      LabJanitor.deleteTree(workDir.resolve("data"));
    } catch (IOException e) {
      System.err.println("chaos: clean-up of " + names.pinDir() + " failed: " + e.getMessage());
    }
  }
}
