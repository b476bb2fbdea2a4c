package io.mapsync.raft.etcdapi;

import io.grpc.Server;
import io.grpc.ServerInterceptors;
import io.grpc.netty.NettyServerBuilder;
import io.mapsync.store.cluster.ServedCluster;
import io.mapsync.tls.GrpcTls;
import io.mapsync.tls.TlsIdentity;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The etcd v3 gRPC API of one mapsync cluster member, so that etcdctl, jetcd and other etcd clients
 * can read, write and watch the replicated key space (map entries included) through this member's
 * client port. Start one per member with {@link #start}; {@link #close} stops it.
 */
public final class EtcdApiServer implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(EtcdApiServer.class);

  /** etcd's default --max-request-bytes (1.5 MiB) plus its gRPC overhead allowance. */
  private static final int MAX_REQUEST_BYTES = 3 * 512 * 1024 + 512 * 1024;

  private final Server server;
  private final ScheduledExecutorService timer;
  private final WatchService watch;
  private final LeaderLink leaderLink;
  private final boolean tls;
  private final ReadOnlyClients readOnly;
  private final AuthGate gate;
  private volatile boolean closed;

  private EtcdApiServer(
      Server server,
      ScheduledExecutorService timer,
      WatchService watch,
      LeaderLink leaderLink,
      boolean tls,
      ReadOnlyClients readOnly,
      AuthGate gate) {
    this.tls = tls;
    this.gate = gate;
    this.readOnly = readOnly;
    this.server = server;
    this.timer = timer;
    this.watch = watch;
    this.leaderLink = leaderLink;
  }

  /** Serves the cluster member's etcd API on host:port (port 0 picks a free port). */
  public static EtcdApiServer start(ServedCluster cluster, String host, int port) {
    return start(cluster, new InetSocketAddress(host, port), EtcdApiOptions.defaults());
  }

  public static EtcdApiServer start(
      ServedCluster cluster, InetSocketAddress address, EtcdApiOptions options) {
    return start(cluster, address, options, null);
  }

  /**
   * Serves with mutual TLS when {@code tls} is set: clients (etcdctl, jetcd, the mapsync CLI, other
   * members forwarding lease calls) must present a certificate from its CA, plain-text and other
   * CAs' clients are refused in the handshake. Null serves plain text.
   */
  public static EtcdApiServer start(
      ServedCluster cluster, InetSocketAddress address, EtcdApiOptions options, TlsIdentity tls) {
    ClusterCalls calls = new ClusterCalls(cluster);
    ResponseHeaders headers =
        new ResponseHeaders(
            MemberIds.clusterId(options.clusterName()), MemberIds.memberId(cluster.self().id()));
    cluster.status().thenAccept(s -> headers.observeTerm(s.term()));
    LeaseDeadlines deadlines = new LeaseDeadlines(System::nanoTime);
    LeaderLink leaderLink =
        new LeaderLink(calls, options.forwardTimeout(), tls == null ? null : GrpcTls.client(tls));
    LeaseService lease =
        new LeaseService(calls, headers, deadlines, leaderLink, options.minLeaseTtlSeconds());
    WatchService watch = new WatchService(cluster.localState(), headers);
    AuthStore authStore = new AuthStore(calls);
    AuthGate gate = new AuthGate(authStore, calls, System::currentTimeMillis);

    NettyServerBuilder builder =
        NettyServerBuilder.forAddress(address)
            .maxInboundMessageSize(MAX_REQUEST_BYTES)
            // etcdctl pings every 2 s and jetcd pings idle connections; gRPC's default policy would
            // answer such clients with GOAWAY "too_many_pings".
            .permitKeepAliveTime(1, TimeUnit.SECONDS)
            .permitKeepAliveWithoutCalls(true)
            .addService(new KvService(calls, headers))
            .addService(
                ServerInterceptors.intercept(
                    LeaseListMethod.withLeaseList(lease.bindService(), lease::leaseList),
                    LeaderLink.forwardedMarker()))
            .addService(watch)
            .addService(new ClusterService(calls, headers, tls != null))
            .addService(new MaintenanceService(calls, headers))
            .addService(new AuthService(calls, authStore, headers, System::currentTimeMillis));
    UnsupportedServices.all().forEach(builder::addService);
    ReadOnlyClients readOnly = new ReadOnlyClients(options.readOnlyClients());
    builder.intercept(readOnly);
    builder.intercept(gate);
    if (!options.readOnlyClients().isEmpty() && tls == null) {
      LOG.warn(
          "read-only clients {} are named but the etcd API serves plain text: without TLS no client has a "
              + "certificate name, so nobody is held to read-only; set tls:",
          options.readOnlyClients());
    }
    if (tls != null) {
      builder.protocolNegotiator(new TlsOrPlainText(GrpcTls.server(tls)));
      // Last added runs first: a plain-text call is answered before any other check.
      builder.intercept(new TlsRequired());
    }
    Server server = builder.build();
    try {
      server.start();
    } catch (IOException e) {
      leaderLink.close();
      throw new UncheckedIOException("cannot serve the etcd API on " + address, e);
    }

    ScheduledExecutorService timer =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, "etcdapi-timer-" + cluster.self().id());
              t.setDaemon(true);
              return t;
            });
    EtcdApiServer started =
        new EtcdApiServer(server, timer, watch, leaderLink, tls != null, readOnly, gate);
    LeaseExpiry expiry = new LeaseExpiry(calls, deadlines);
    cluster.onLeadershipChange(
        leader -> {
          if (!started.closed) {
            expiry.onLeadershipChange(leader);
          }
        });
    every(
        timer,
        options.statusRefreshInterval().toMillis(),
        options.statusRefreshInterval().toMillis(),
        () -> cluster.status().thenAccept(s -> headers.observeTerm(s.term())));
    every(
        timer,
        options.leaseCheckInterval().toMillis(),
        options.leaseCheckInterval().toMillis(),
        expiry::check);
    every(
        timer,
        options.progressNotifyInterval().toMillis(),
        options.progressNotifyInterval().toMillis(),
        watch::notifyProgress);
    LOG.info(
        "etcd v3 API of member {} (id {}) serving on {}",
        cluster.self().id(),
        MemberIds.hex(headers.memberId()),
        started.address());
    return started;
  }

  /** Runs a periodic task that logs its failures instead of being cancelled by them. */
  private static void every(
      ScheduledExecutorService timer, long firstMillis, long millis, Runnable task) {
    timer.scheduleWithFixedDelay(
        () -> {
          try {
            task.run();
          } catch (RuntimeException e) {
            LOG.warn("etcd API background task failed", e);
          }
        },
        firstMillis,
        millis,
        TimeUnit.MILLISECONDS);
  }

  /** Where the server listens (with the port actually bound). */
  public InetSocketAddress address() {
    return (InetSocketAddress) server.getListenSockets().get(0);
  }

  public int port() {
    return address().getPort();
  }

  /** The endpoint as etcd clients are given it, e.g. http://127.0.0.1:2379 (https:// with TLS). */
  public String endpoint() {
    InetSocketAddress a = address();
    String host = a.getAddress().getHostAddress();
    return (tls ? "https://" : "http://")
        + (host.contains(":") ? "[" + host + "]" : host)
        + ":"
        + a.getPort();
  }

  /** How often a watch paused because its client read too slowly (for tests and metrics). */
  long watchPauses() {
    return watch.pauses();
  }

  /** How many writes from read-only clients were refused. */
  public long refusedWrites() {
    return readOnly.refused();
  }

  /** How many calls the Auth service's checks refused (no user, bad token, no permission). */
  public long refusedByAuth() {
    return gate.refused();
  }

  @Override
  public void close() {
    if (closed) {
      return;
    }
    closed = true;
    timer.shutdownNow();
    watch.close();
    // Unary calls in flight get a moment to finish; streams (keep-alives) would hold the
    // shutdown forever, so after that everything still open is cancelled and clients move on.
    server.shutdown();
    try {
      if (!server.awaitTermination(1, TimeUnit.SECONDS)) {
        server.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      server.shutdownNow();
      Thread.currentThread().interrupt();
    }
    leaderLink.close();
    LOG.info("etcd v3 API stopped");
  }
}
