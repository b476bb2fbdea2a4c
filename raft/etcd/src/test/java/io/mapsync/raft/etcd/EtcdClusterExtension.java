package io.mapsync.raft.etcd;

import io.etcd.jetcd.api.MaintenanceGrpc;
import io.etcd.jetcd.api.StatusRequest;
import io.etcd.jetcd.api.StatusResponse;
import io.grpc.ManagedChannel;
import io.grpc.netty.NettyChannelBuilder;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A real etcd cluster for one test class: {@code /usr/bin/etcd} (or {@code $MAPSYNC_ETCD}) members
 * on free loopback ports, with their own data directories, fast elections and a modest backend
 * quota. Members can be killed (SIGKILL), stopped (SIGTERM) and restarted on their data. It never
 * touches the default ports 2379/2380 or a system etcd's data. Without an etcd binary the class is
 * skipped (or fails under MAPSYNC_REQUIRE_ALL=1).
 */
public final class EtcdClusterExtension implements BeforeAllCallback, AfterAllCallback {
  private static final Duration READY_TIMEOUT = Duration.ofSeconds(30);

  private final int size;
  private final List<Member> members = new ArrayList<>();
  private Path root;
  private final Map<Integer, ManagedChannel> channels = new ConcurrentHashMap<>();
  private Thread cleanup;

  /** One member's fixed identity and its process, when running. */
  private static final class Member {
    final String name;
    final int clientPort;
    final int peerPort;
    Process process;

    Member(String name, int clientPort, int peerPort) {
      this.name = name;
      this.clientPort = clientPort;
      this.peerPort = peerPort;
    }

    String clientUrl() {
      return "http://127.0.0.1:" + clientPort;
    }

    String peerUrl() {
      return "http://127.0.0.1:" + peerPort;
    }
  }

  public EtcdClusterExtension(int size) {
    this.size = size;
  }

  static Path etcdBinary() {
    String configured = System.getenv("MAPSYNC_ETCD");
    return Paths.get(configured != null && !configured.isBlank() ? configured : "/usr/bin/etcd");
  }

  @Override
  public void beforeAll(ExtensionContext context) throws Exception {
    Path etcd = etcdBinary();
    EtcdTestPrerequisites.require(
        Files.isExecutable(etcd),
        "no etcd binary at " + etcd + " (install etcd-server or set MAPSYNC_ETCD)");
    // tmpfs keeps fsync out of the tests' timing; the benchmark runs on disk
    // (docs/etcd-backend.md).
    Path shm = Paths.get("/dev/shm");
    root =
        Files.isWritable(shm)
            ? Files.createTempDirectory(shm, "mapsync-etcd-")
            : Files.createTempDirectory("mapsync-etcd-");
    Set<Integer> ports = new HashSet<>();
    while (ports.size() < 2 * size) {
      ports.add(freePort());
    }
    List<Integer> free = new ArrayList<>(ports);
    for (int i = 0; i < size; i++) {
      members.add(new Member("n" + (i + 1), free.get(2 * i), free.get(2 * i + 1)));
    }
    cleanup = new Thread(this::destroyAll, "etcd-cluster-cleanup");
    Runtime.getRuntime().addShutdownHook(cleanup);
    String token = "mapsync-test-" + UUID.randomUUID();
    for (int i = 0; i < size; i++) {
      start(i, "new", token);
    }
    awaitHealthy();
  }

  @Override
  public void afterAll(ExtensionContext context) throws Exception {
    channels.values().forEach(ManagedChannel::shutdownNow);
    destroyAll();
    if (cleanup != null) {
      Runtime.getRuntime().removeShutdownHook(cleanup);
    }
    if (root != null) {
      try (Stream<Path> files = Files.walk(root)) {
        files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
      }
    }
  }

  public List<String> endpoints() {
    return members.stream().map(Member::clientUrl).toList();
  }

  public String endpoint(int member) {
    return members.get(member).clientUrl();
  }

  public int clientPort(int member) {
    return members.get(member).clientPort;
  }

  /** A store configuration for this cluster with test-sized timeouts. */
  public EtcdConfig config() {
    return new EtcdConfig(
        endpoints(),
        "",
        Duration.ofSeconds(2),
        Duration.ofSeconds(20),
        EtcdConfig.DEFAULT_MAX_TXN_OPS,
        EtcdConfig.DEFAULT_READ_PAGE_SIZE,
        EtcdConfig.DEFAULT_LOAD_BALANCING);
  }

  /** SIGKILL: the member dies mid-whatever, as on a crash. */
  public void kill(int member) throws InterruptedException {
    Process p = members.get(member).process;
    p.destroyForcibly();
    p.waitFor(10, TimeUnit.SECONDS);
  }

  /** SIGTERM: a clean shutdown. */
  public void stop(int member) throws InterruptedException {
    Process p = members.get(member).process;
    p.destroy();
    if (!p.waitFor(10, TimeUnit.SECONDS)) {
      p.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
    }
  }

  /**
   * Starts a stopped or killed member again on its data directory and waits until the cluster is
   * whole.
   */
  public void restart(int member) throws Exception {
    if (members.get(member).process.isAlive()) {
      throw new IllegalStateException(members.get(member).name + " is running");
    }
    start(member, "existing", "unused-for-existing-members");
    awaitHealthy();
  }

  public boolean isRunning(int member) {
    return members.get(member).process != null && members.get(member).process.isAlive();
  }

  /** The index of the current leader, as the running members report it. */
  public int leader() throws Exception {
    long deadline = System.nanoTime() + READY_TIMEOUT.toNanos();
    while (System.nanoTime() < deadline) {
      long leaderId = 0;
      for (Member m : members) {
        if (m.process.isAlive()) {
          StatusResponse s = status(m);
          if (s != null && s.getLeader() != 0) {
            leaderId = s.getLeader();
            break;
          }
        }
      }
      if (leaderId != 0) {
        for (int i = 0; i < members.size(); i++) {
          StatusResponse s = members.get(i).process.isAlive() ? status(members.get(i)) : null;
          if (s != null && s.getHeader().getMemberId() == leaderId) {
            return i;
          }
        }
      }
      TimeUnit.MILLISECONDS.sleep(50);
    }
    throw new AssertionError("no etcd leader within " + READY_TIMEOUT + "\n" + logs());
  }

  /** Waits until every running member answers and they agree on a leader. */
  public void awaitHealthy() throws Exception {
    long deadline = System.nanoTime() + READY_TIMEOUT.toNanos();
    while (System.nanoTime() < deadline) {
      // Member ids are unsigned 64-bit: 0 means "no leader", any other value (even negative) is
      // one.
      Long leader = null;
      boolean agreed = true;
      for (Member m : members) {
        if (!m.process.isAlive()) {
          continue;
        }
        StatusResponse s = status(m);
        if (s == null || s.getLeader() == 0 || (leader != null && leader != s.getLeader())) {
          agreed = false;
          break;
        }
        leader = s.getLeader();
      }
      if (agreed && leader != null) {
        return;
      }
      TimeUnit.MILLISECONDS.sleep(50);
    }
    throw new AssertionError("etcd cluster not healthy within " + READY_TIMEOUT + "\n" + logs());
  }

  private StatusResponse status(Member m) {
    try {
      ManagedChannel channel =
          channels.computeIfAbsent(
              m.clientPort,
              port -> NettyChannelBuilder.forAddress("127.0.0.1", port).usePlaintext().build());
      return MaintenanceGrpc.newBlockingStub(channel)
          .withDeadlineAfter(1, TimeUnit.SECONDS)
          .status(StatusRequest.getDefaultInstance());
    } catch (RuntimeException e) {
      return null;
    }
  }

  private void start(int index, String state, String token) throws IOException {
    Member m = members.get(index);
    String initialCluster =
        members.stream().map(x -> x.name + "=" + x.peerUrl()).collect(Collectors.joining(","));
    ProcessBuilder pb =
        new ProcessBuilder(
            etcdBinary().toString(),
            "--name",
            m.name,
            "--data-dir",
            root.resolve(m.name).toString(),
            "--listen-client-urls",
            m.clientUrl(),
            "--advertise-client-urls",
            m.clientUrl(),
            "--listen-peer-urls",
            m.peerUrl(),
            "--initial-advertise-peer-urls",
            m.peerUrl(),
            "--initial-cluster",
            initialCluster,
            "--initial-cluster-token",
            token,
            "--initial-cluster-state",
            state,
            "--heartbeat-interval",
            "50",
            "--election-timeout",
            "500",
            "--quota-backend-bytes",
            String.valueOf(256L << 20),
            "--logger",
            "zap",
            "--log-level",
            "warn");
    // A system etcd's environment (ETCD_*) must not leak into the test members.
    pb.environment().keySet().removeIf(k -> k.startsWith("ETCD"));
    pb.redirectErrorStream(true);
    pb.redirectOutput(ProcessBuilder.Redirect.appendTo(root.resolve(m.name + ".log").toFile()));
    m.process = pb.start();
  }

  private void destroyAll() {
    for (Member m : members) {
      if (m.process != null && m.process.isAlive()) {
        m.process.destroyForcibly();
        try {
          m.process.waitFor(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      }
    }
  }

  /** The tail of every member's log, for failure messages. */
  public String logs() {
    StringBuilder out = new StringBuilder();
    for (Member m : members) {
      Path log = root.resolve(m.name + ".log");
      try {
        List<String> lines = Files.exists(log) ? Files.readAllLines(log) : List.of();
        out.append("--- ").append(m.name).append(" (last 20 lines)\n");
        lines
            .subList(Math.max(0, lines.size() - 20), lines.size())
            .forEach(l -> out.append(l).append('\n'));
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    return out.toString();
  }

  private static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    }
  }
}
