package io.mapsync.raft.ratis;

import io.mapsync.store.ClusterStatus;
import io.mapsync.store.StateStore;
import io.mapsync.store.StoreException;
import io.mapsync.store.cluster.ClusterMember;
import io.mapsync.store.cluster.ServedCluster;
import io.mapsync.store.state.ReplicaState;
import io.mapsync.tls.TlsIdentity;
import io.mapsync.wire.ApplyResult;
import io.mapsync.wire.LogEntry;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.apache.ratis.client.RaftClient;
import org.apache.ratis.client.RaftClientConfigKeys;
import org.apache.ratis.client.retry.RequestTypeDependentRetryPolicy;
import org.apache.ratis.conf.Parameters;
import org.apache.ratis.conf.RaftProperties;
import org.apache.ratis.netty.NettyFactory;
import org.apache.ratis.proto.RaftProtos.RaftClientRequestProto.TypeCase;
import org.apache.ratis.proto.RaftProtos.RaftPeerRole;
import org.apache.ratis.protocol.ClientId;
import org.apache.ratis.protocol.GroupManagementRequest;
import org.apache.ratis.protocol.Message;
import org.apache.ratis.protocol.RaftClientReply;
import org.apache.ratis.protocol.RaftGroup;
import org.apache.ratis.protocol.RaftGroupId;
import org.apache.ratis.protocol.RaftPeer;
import org.apache.ratis.protocol.RaftPeerId;
import org.apache.ratis.retry.RetryPolicies;
import org.apache.ratis.retry.RetryPolicy;
import org.apache.ratis.server.RaftServer;
import org.apache.ratis.server.storage.RaftStorage;
import org.apache.ratis.statemachine.StateMachine;
import org.apache.ratis.thirdparty.com.google.protobuf.UnsafeByteOperations;
import org.apache.ratis.util.TimeDuration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One member of an embedded Ratis cluster, in this process: its Raft server, its replica, and a
 * Raft client through which its {@link #store()} reaches the leader. Start one with {@link
 * #start(RatisConfig)}, stop it with {@link #close()}.
 */
public final class RatisNode implements ServedCluster, AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(RatisNode.class);

  /** The name of the group every member hosts: maps without a group, membership, the etcd API. */
  public static final String DEFAULT_GROUP = "default";

  private final RatisConfig config;
  private final String groupName;
  private final RaftGroupId groupId;

  /** Further groups on this member's server, by name (only on the default group's node). */
  private final Map<String, RatisNode> extraGroups = new LinkedHashMap<>();

  private final Map<String, RaftGroupSpec> extraSpecs = new LinkedHashMap<>();
  private final RaftPeerId selfId;
  private final Duration requestTimeout;
  private final ExecutorService watchExecutor = daemonPool("watch");
  private final ExecutorService callbacks = daemonPool("callback");
  private final ExecutorService blockingCalls = daemonPool("admin");
  private final ExecutorService nettyCompletions = daemonPool("netty-client");
  private final ScheduledExecutorService scheduler =
      Executors.newSingleThreadScheduledExecutor(daemon("timer"));
  private final ReplicaState state;
  private final AppliedIndexWaiters applied = new AppliedIndexWaiters();
  private final List<Consumer<Boolean>> leadershipListeners = new CopyOnWriteArrayList<>();
  private final AtomicBoolean closed = new AtomicBoolean();
  private final RatisStore store;
  private final Parameters parameters;
  private volatile boolean leader;
  private RaftServer server;
  private RaftServer.Division division;
  private RaftClients clients;
  private LocalSubmit local;
  private RaftClient probe;
  private ReadBarrier barrier;
  private Membership membership;
  private ClusterStatusReader statusReader;
  private MemberWatchdog watchdog;

  private RatisNode(RatisConfig config, TlsIdentity tls, String groupName) {
    RatisSettings.checkKeys(config.settings());
    this.config = config;
    this.groupName = groupName;
    this.groupId =
        groupName.equals(DEFAULT_GROUP)
            ? groupIdOf(config.clusterName())
            : groupIdOf(config.clusterName() + "/group:" + groupName);
    this.selfId = RaftPeerId.valueOf(config.nodeId());
    this.requestTimeout = RatisSettings.REQUEST_TIMEOUT.get(config.settings());
    this.state =
        new ReplicaState(RatisSettings.HISTORY_BYTES.get(config.settings()), watchExecutor);
    this.store = new RatisStore(this, state);
    this.parameters = PeerTls.parameters(config, tls);
  }

  /**
   * Starts a member: checks (or claims) its data directory, replays its snapshot and log, joins the
   * Raft group and returns. It does not wait for a leader; see {@link #awaitLeader(Duration)}.
   *
   * @throws IOException if the data directory is refused or the member cannot start; the message
   *     names the directory or address and what to do
   */
  public static RatisNode start(RatisConfig config) throws IOException {
    return start(config, null);
  }

  /**
   * Starts a member whose Raft traffic (peers and its own clients) is mutual TLS with this
   * identity: members without a certificate from its CA are refused. Null means plain text.
   */
  public static RatisNode start(RatisConfig config, TlsIdentity tls) throws IOException {
    return start(config, tls, List.of());
  }

  /**
   * Starts a member whose server also hosts further Raft groups (multi-raft): the default group
   * (this node) and one division per group, each with its own replica and its own storage under
   * {@code dataDir/ratis/<group-uuid>}, recovered from there on restart. Every peer hosts every
   * group: a group's members vote in it, the other peers follow it as listeners, so every agent
   * holds a replica of every group. Reach a group through {@link #groups()}.
   *
   * @throws IllegalArgumentException if a group is invalid (duplicate or reserved name, a member
   *     that is not a voter among the peers, or join mode)
   */
  public static RatisNode start(RatisConfig config, TlsIdentity tls, List<RaftGroupSpec> groups)
      throws IOException {
    checkGroups(config, groups);
    RatisNode node = new RatisNode(config, tls, DEFAULT_GROUP);
    for (RaftGroupSpec g : groups) {
      node.extraSpecs.put(g.name(), g);
      node.extraGroups.put(g.name(), new RatisNode(config, tls, g.name()));
    }
    try {
      node.startMember();
      return node;
    } catch (IOException | RuntimeException e) {
      node.close();
      throw StartFailure.explain(config, e);
    }
  }

  private void startMember() throws IOException {
    DataDir dir =
        DataDir.open(
            config.dataDir(), config.clusterName(), groupId.getUuid().toString(), config.nodeId());
    RatisSettings.log(config);
    if (config.transport() == Transport.NETTY) {
      LOG.warn(
          "{}: on the Netty transport followers learn commits at the next heartbeat (no commit push),"
              + " up to 200 ms late; gRPC is the default (see docs/ratis.md)",
          config.nodeId());
    }
    RaftProperties props = RatisSettings.ratisProperties(config, dir);
    List<RaftPeer> peers = new ArrayList<>();
    // With several groups each prefers another voter (Raft priority), so leaders spread; without,
    // the configuration stays exactly as before.
    String preferred = extraGroups.isEmpty() ? null : preferredLeader(config, voters(config), 0);
    config
        .peers()
        .forEach(
            (id, address) ->
                peers.add(
                    toPeer(id, address, config.listeners().contains(id), id.equals(preferred))));
    RaftGroup group = RaftGroup.valueOf(groupId, peers);
    if (config.join() && config.listener()) {
      // Ratis never turns a follower into a listener, so a joining listener must start as one: with
      // itself as listener in its starting configuration (listeners neither vote nor campaign). The
      // configuration in the log replaces it once the leader has added this member.
      List<RaftPeer> withSelf = new ArrayList<>(peers);
      withSelf.add(toPeer(config.nodeId(), config.address(), true));
      group = RaftGroup.valueOf(groupId, withSelf);
    } else if (config.join()) {
      // A joining voter starts outside any configuration and waits; the leader stages it (sends it
      // the
      // log or a snapshot) when it is added, then commits the configuration that includes it.
      group = RaftGroup.valueOf(groupId);
    }
    ReplicaStateMachine machine = newMachine();
    RaftServer.Builder builder =
        RaftServer.newBuilder()
            .setServerId(selfId)
            .setGroup(group)
            .setProperties(props)
            .setParameters(parameters)
            .setOption(RaftStorage.StartupOption.RECOVER);
    if (extraGroups.isEmpty()) {
      builder.setStateMachine(machine);
    } else {
      // Ratis recovers every group directory it finds at build time, so every group's state
      // machine must be known before the server exists.
      Map<RaftGroupId, StateMachine> machines = new HashMap<>();
      machines.put(groupId, machine);
      extraGroups.values().forEach(g -> machines.put(g.groupId, g.newMachine()));
      builder.setStateMachineRegistry(
          id -> {
            StateMachine m = machines.get(id);
            if (m == null) {
              throw new IllegalStateException(
                  config.dataDir()
                      + " holds Raft group "
                      + id.getUuid()
                      + ", which is none of the configured groups "
                      + extraGroups.keySet()
                      + ": configure that group again (a group's maps live only in its log)");
            }
            return m;
          });
    }
    server = builder.build();
    server.start();
    division = server.getDivision(groupId);
    dir.markInitialized();
    attach(props, peers, dir);
    int index = 1;
    for (RatisNode g : extraGroups.values()) {
      g.startOn(server, props, dir, extraSpecs.get(g.groupName), index++);
    }
    LOG.info(
        "{}: started in {} ({} mode, group {}{})",
        config.nodeId(),
        dir.root(),
        config.join() ? "join" : "bootstrap",
        groupId.getUuid(),
        extraGroups.isEmpty() ? "" : ", further groups " + extraGroups.keySet());
  }

  private ReplicaStateMachine newMachine() {
    return new ReplicaStateMachine(state, applied, this::leaderChanged);
  }

  /**
   * Hosts this (non-default) group on the default group's server: adds it on first start (Ratis
   * recovered it from its directory otherwise), then wires its clients like the default group's.
   */
  private void startOn(
      RaftServer shared, RaftProperties props, DataDir dir, RaftGroupSpec spec, int index)
      throws IOException {
    server = shared;
    String preferred = preferredLeader(config, spec.members(), index);
    List<RaftPeer> peers = new ArrayList<>();
    config
        .peers()
        .forEach(
            (id, address) ->
                peers.add(toPeer(id, address, !spec.members().contains(id), id.equals(preferred))));
    boolean present = false;
    for (RaftGroupId id : shared.getGroupIds()) {
      present |= id.equals(groupId);
    }
    if (!present) {
      RaftClientReply reply =
          shared.groupManagement(
              GroupManagementRequest.newAdd(
                  ClientId.randomId(), selfId, 0, RaftGroup.valueOf(groupId, peers)));
      if (!reply.isSuccess()) {
        throw new IOException(
            "cannot add Raft group '" + groupName + "' on " + selfId + ": " + reply.getException());
      }
    }
    division = shared.getDivision(groupId);
    attach(props, peers, dir);
    LOG.info(
        "{}: hosts group '{}' ({}, voters {}, prefers leader {})",
        config.nodeId(),
        groupName,
        groupId.getUuid(),
        spec.members(),
        preferred);
  }

  /** Wires the clients, read barrier, membership, status and watchdog of this node's group. */
  private void attach(RaftProperties props, List<RaftPeer> peers, DataDir dir) {
    local = new LocalSubmit(server, groupId, selfId, this::isLeader);
    RaftGroup known = RaftGroup.valueOf(groupId, peers);
    clients =
        new RaftClients(
            config.nodeId(),
            () ->
                clientBuilder(props)
                    .setRaftGroup(known)
                    .setRetryPolicy(retryPolicy(requestTimeout))
                    .build(),
            blockingCalls);
    RaftProperties probeProps = new RaftProperties(props);
    Duration statusTimeout = RatisSettings.STATUS_TIMEOUT.get(config.settings());
    RaftClientConfigKeys.Rpc.setRequestTimeout(
        probeProps, TimeDuration.valueOf(statusTimeout.toMillis(), TimeUnit.MILLISECONDS));
    probe =
        clientBuilder(probeProps)
            .setRaftGroup(RaftGroup.valueOf(groupId, peers))
            .setRetryPolicy(RetryPolicies.noRetry())
            .build();
    barrier =
        new ReadBarrier(
            server,
            groupId,
            selfId,
            clients,
            config.transport(),
            this::isLeader,
            applied,
            scheduler,
            callbacks,
            requestTimeout);
    membership =
        new Membership(
            clients::current,
            division::getRaftConf,
            barrier::await,
            blockingCalls,
            config.clientAddresses());
    statusReader = new ClusterStatusReader(division, groupId, probe, blockingCalls, statusTimeout);
    watchdog =
        new MemberWatchdog(
            config.nodeId(), dir.root(), server, division, closed::get, scheduler, callbacks);
    watchdog.onFailure(
        failure -> {
          LOG.error("{}", failure.getMessage());
          // Nothing will be applied any more: waiters and watches end now instead of hanging.
          applied.close(failure);
          state.close(failure);
        });
  }

  /** The cluster's voters, sorted, so every member computes the same preferences. */
  private static List<String> voters(RatisConfig config) {
    return config.peers().keySet().stream()
        .filter(id -> !config.listeners().contains(id))
        .sorted()
        .toList();
  }

  /**
   * The member group {@code index} prefers as leader: the cluster's voters taken round robin (group
   * i prefers voter i mod n) when it is a member of the group, else member i mod its size.
   */
  static String preferredLeader(RatisConfig config, List<String> members, int index) {
    List<String> voters = voters(config);
    String roundRobin = voters.get(index % voters.size());
    return members.contains(roundRobin) ? roundRobin : members.get(index % members.size());
  }

  private static void checkGroups(RatisConfig config, List<RaftGroupSpec> groups) {
    if (groups.isEmpty()) {
      return;
    }
    if (config.join()) {
      throw new IllegalArgumentException(
          "groups: a member started in join mode hosts the default group only; start every"
              + " member of a multi-group cluster with the same peers");
    }
    Set<String> names = new HashSet<>();
    for (RaftGroupSpec g : groups) {
      if (g.name().equals(DEFAULT_GROUP)) {
        throw new IllegalArgumentException(
            "group name '"
                + DEFAULT_GROUP
                + "' is reserved: the default group holds the maps without a group");
      }
      if (!names.add(g.name())) {
        throw new IllegalArgumentException("group '" + g.name() + "' is listed twice");
      }
      for (String m : g.members()) {
        if (!config.peers().containsKey(m) || config.listeners().contains(m)) {
          throw new IllegalArgumentException(
              "group '"
                  + g.name()
                  + "': member '"
                  + m
                  + "' is not one of the voters "
                  + voters(config));
        }
      }
    }
  }

  private RaftClient.Builder clientBuilder(RaftProperties props) {
    return clientBuilder(config.transport(), parameters, props, nettyCompletions);
  }

  /**
   * A Raft client builder on the given transport; on Netty, replies reach the client off the event
   * loop ({@link EventLoopFreeClientRpc}: Ratis 3.3.0's Netty client deadlock).
   */
  static RaftClient.Builder clientBuilder(
      Transport transport, Parameters parameters, RaftProperties props, Executor completions) {
    RaftClient.Builder b = RaftClient.newBuilder().setProperties(props).setParameters(parameters);
    if (transport == Transport.NETTY) {
      ClientId id = ClientId.randomId();
      b.setClientId(id)
          .setClientRpc(
              new EventLoopFreeClientRpc(
                  new NettyFactory(parameters).newRaftClientRpc(id, props), completions));
    }
    return b;
  }

  /** Retries (leader changes, lost connections) with a short pause until the request timeout. */
  private static RetryPolicy retryPolicy(Duration timeout) {
    TimeDuration total = TimeDuration.valueOf(timeout.toMillis(), TimeUnit.MILLISECONDS);
    RetryPolicy pause =
        RetryPolicies.retryForeverWithSleep(TimeDuration.valueOf(50, TimeUnit.MILLISECONDS));
    RequestTypeDependentRetryPolicy.Builder b = RequestTypeDependentRetryPolicy.newBuilder();
    for (TypeCase type :
        List.of(TypeCase.WRITE, TypeCase.READ, TypeCase.STALEREAD, TypeCase.WATCH)) {
      b.setRetryPolicy(type, pause).setTimeout(type, total);
    }
    return b.build();
  }

  static RaftPeer toPeer(String id, String address, boolean listener) {
    return toPeer(id, address, listener, false);
  }

  private static RaftPeer toPeer(String id, String address, boolean listener, boolean preferred) {
    RaftPeer.Builder b =
        RaftPeer.newBuilder()
            .setId(id)
            .setAddress(address)
            .setStartupRole(listener ? RaftPeerRole.LISTENER : RaftPeerRole.FOLLOWER);
    if (preferred) {
      b.setPriority(1);
    }
    return b.build();
  }

  /** The Raft group of a cluster, derived from its name so every member computes the same. */
  static RaftGroupId groupIdOf(String clusterName) {
    return RaftGroupId.valueOf(
        UUID.nameUUIDFromBytes(
            ("mapsync-cluster:" + clusterName).getBytes(StandardCharsets.UTF_8)));
  }

  /**
   * Sends an entry to the leader; completes with its apply result, on a mapsync thread. A failure
   * other than the state's refusal replaces the Raft client (Ratis closed it) and is retriable.
   */
  CompletableFuture<ApplyResult> submit(String what, LogEntry entry) {
    if (closed.get() || watchdog.failure() != null) {
      return CompletableFuture.failedFuture(closedException());
    }
    String op =
        what
            + " on "
            + config.nodeId()
            + (groupName.equals(DEFAULT_GROUP) ? "" : " (group " + groupName + ")");
    CompletableFuture<ApplyResult> out = new CompletableFuture<>();
    RaftClient client = clients.current();
    try {
      Message message = Message.valueOf(UnsafeByteOperations.unsafeWrap(entry.toByteArray()));
      // In process on the leader only where a second append is harmless: a delta batch with an
      // origin and sequence number is applied once however often it lands (LocalSubmit).
      boolean appliedOnce =
          entry.hasDeltas()
              && !entry.getDeltas().getOrigin().isEmpty()
              && entry.getDeltas().getBatchSeq() != 0;
      (appliedOnce
              ? local.send(message, m -> client.async().send(m))
              : client.async().send(message))
          .whenCompleteAsync(
              (reply, failure) -> {
                try {
                  if (failure != null && closed.get()) {
                    out.completeExceptionally(closedException());
                  } else if (failure != null) {
                    clients.renewIfBroken(client, failure);
                    out.completeExceptionally(RatisFailures.toStore(op, failure));
                  } else if (!reply.isSuccess()) {
                    out.completeExceptionally(
                        RatisFailures.toStore(
                            op,
                            Objects.requireNonNullElse(
                                reply.getException(), new IOException("failed: " + reply))));
                  } else {
                    out.complete(
                        ApplyResult.parseFrom(
                            reply.getMessage().getContent().asReadOnlyByteBuffer()));
                  }
                } catch (IOException | RuntimeException e) {
                  out.completeExceptionally(RatisFailures.toStore(op, e));
                }
              },
              callbacks);
    } catch (RuntimeException e) {
      out.completeExceptionally(RatisFailures.toStore(op, e));
    }
    return out;
  }

  /** Writes this member answered in process as the leader ({@link LocalSubmit}). */
  long answeredInProcess() {
    return local.answeredHere();
  }

  /** Runs a read of the local replica after a read barrier, so it is linearizable. */
  <T> CompletableFuture<T> linearizable(Supplier<T> read) {
    if (closed.get() || watchdog.failure() != null) {
      return CompletableFuture.failedFuture(closedException());
    }
    return barrier.await().thenApplyAsync(revision -> read.get(), callbacks);
  }

  /**
   * Completes once this member has applied the given revision (on a mapsync thread, not the apply
   * thread).
   */
  CompletableFuture<Long> awaitApplied(long revision) {
    return OwnThreads.completeOn(callbacks, applied.await(revision));
  }

  /** Waits until this member knows a leader; returns its id. */
  public String awaitLeader(Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (System.nanoTime() < deadline) {
      RaftPeerId id = division.getInfo().getLeaderId();
      if (id != null && division.getInfo().isAlive()) {
        return id.toString();
      }
      TimeUnit.MILLISECONDS.sleep(10);
    }
    throw new StoreException(
        StoreException.Reason.NO_LEADER, config.nodeId() + " knows no leader after " + timeout);
  }

  private void leaderChanged(RaftPeerId newLeader) {
    boolean now = selfId.equals(newLeader);
    if (now != leader) {
      leader = now;
      LOG.info(
          "{}: {} leader{}",
          config.nodeId(),
          now ? "became" : "is no longer",
          groupName.equals(DEFAULT_GROUP) ? "" : " of group " + groupName);
      callbacks.execute(() -> leadershipListeners.forEach(l -> l.accept(now)));
    }
  }

  @Override
  public StateStore store() {
    return store;
  }

  @Override
  public ReplicaState localState() {
    return state;
  }

  /**
   * Completes once the entry is applied by the leader and by this member, with its apply result. An
   * entry the state refuses (a compaction to a future revision, a failed txn) completes normally,
   * with {@link ApplyResult#getError()} set; failures of the cluster fail the future.
   */
  @Override
  public CompletableFuture<ApplyResult> append(LogEntry entry) {
    return submit("append", entry)
        .thenCompose(r -> awaitApplied(r.getRevision()).thenApply(i -> r));
  }

  @Override
  public ClusterMember self() {
    return new ClusterMember(
        config.nodeId(),
        config.address(),
        config.clientAddresses().getOrDefault(config.nodeId(), ""),
        config.listener());
  }

  @Override
  public CompletableFuture<List<ClusterMember>> members() {
    return membership.members();
  }

  @Override
  public CompletableFuture<List<ClusterMember>> addMember(ClusterMember member) {
    return membership.add(member);
  }

  @Override
  public CompletableFuture<List<ClusterMember>> removeMember(String id) {
    return membership.remove(id);
  }

  @Override
  public CompletableFuture<ClusterStatus> status() {
    return statusReader.read(membership.current());
  }

  @Override
  public boolean isLeader() {
    return division != null && division.getInfo().isLeader();
  }

  @Override
  public void onLeadershipChange(Consumer<Boolean> listener) {
    leadershipListeners.add(listener);
  }

  /**
   * Calls the listener once if this member's Raft server dies while the member is open (Ratis
   * stopped it on an internal error): the member then serves nothing any more, every operation
   * fails with CLOSED, and whoever runs it should stop and restart it (it resumes from its data
   * dir). The failure's message names the member and its data dir.
   */
  public void onMemberFailure(Consumer<StoreException> listener) {
    watchdog.onFailure(listener);
  }

  public RatisConfig config() {
    return config;
  }

  /** This node's group: {@link #DEFAULT_GROUP} or the name of a further group. */
  public String groupName() {
    return groupName;
  }

  /** The further groups this member's server hosts, by name (empty on a further group's node). */
  public Map<String, RatisNode> groups() {
    return java.util.Collections.unmodifiableMap(extraGroups);
  }

  /** The id of this member's current leader of its group, or empty. */
  public java.util.Optional<String> leaderId() {
    RaftPeerId id = division == null ? null : division.getInfo().getLeaderId();
    return java.util.Optional.ofNullable(id).map(RaftPeerId::toString);
  }

  /**
   * This member's Raft division (for tests that stop it the way Ratis does on an internal error).
   */
  RaftServer.Division division() {
    return division;
  }

  /** The Raft role of this member now: LEADER, FOLLOWER, CANDIDATE or LISTENER. */
  public String role() {
    return division.getInfo().getCurrentRole().name();
  }

  /**
   * Stops the member: its watches end with CLOSED, pending operations fail with CLOSED. Idempotent.
   */
  @Override
  public void close() {
    if (!closed.compareAndSet(false, true)) {
      return;
    }
    StoreException reason = closedException();
    if (leader) {
      leader = false;
      leadershipListeners.forEach(l -> l.accept(false));
    }
    extraGroups.values().forEach(RatisNode::close);
    closeQuietly(clients, "client");
    closeQuietly(probe, "status client");
    if (groupName.equals(DEFAULT_GROUP)) {
      closeQuietly(server, "server"); // the groups' shared server
    }
    applied.close(reason);
    state.close(reason);
    for (ExecutorService e :
        List.of(blockingCalls, scheduler, callbacks, watchExecutor, nettyCompletions)) {
      e.shutdown();
    }
    LOG.info(
        "{}: closed{}",
        config.nodeId(),
        groupName.equals(DEFAULT_GROUP) ? "" : " group " + groupName);
  }

  private StoreException closedException() {
    StoreException died = watchdog == null ? null : watchdog.failure();
    return died != null
        ? died
        : new StoreException(
            StoreException.Reason.CLOSED, "member " + config.nodeId() + " is closed");
  }

  private void closeQuietly(AutoCloseable c, String what) {
    if (c == null) {
      return;
    }
    long t0 = System.nanoTime();
    try {
      c.close();
      LOG.debug(
          "{}: closed {} in {} ms", config.nodeId(), what, (System.nanoTime() - t0) / 1_000_000);
    } catch (Exception e) {
      LOG.warn("{}: closing the {} failed", config.nodeId(), what, e);
    }
  }

  private static ExecutorService daemonPool(String name) {
    return Executors.newCachedThreadPool(daemon(name));
  }

  private static java.util.concurrent.ThreadFactory daemon(String name) {
    return r -> {
      Thread t = new Thread(r, "mapsync-ratis-" + name);
      t.setDaemon(true);
      return t;
    };
  }
}
