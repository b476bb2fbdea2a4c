package io.mapsync.lab;

import io.etcd.jetcd.Client;
import io.etcd.jetcd.maintenance.StatusResponse;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * A real local etcd cluster (Debian's /usr/bin/etcd, or $MAPSYNC_ETCD) on free loopback ports, each
 * member with its own data dir: what the etcd-backend tests, the side-by-side benchmarks and the
 * agents' etcd mode run against. Members can be killed (SIGKILL), stopped (SIGTERM), paused
 * (SIGSTOP) and restarted on their data. It never touches the default ports 2379/2380 or a system
 * etcd's data. Removes everything on close.
 */
public final class EtcdCluster implements LocalLog {
  private static final Duration READY_TIMEOUT = Duration.ofSeconds(30);

  /**
   * How the members run.
   *
   * @param tmpfs data dirs on /dev/shm: keeps fsync out of tests' timing (benchmarks use disk)
   * @param fastElections 50 ms heartbeats and 500 ms election timeout, so fault tests see a new
   *     leader quickly; etcd's defaults (100 ms, 1 s) otherwise
   */
  public record Options(int size, boolean tmpfs, boolean fastElections) {
    /** On disk with etcd's own timing: the side-by-side benchmarks. */
    public static Options forBenchmarks(int size) {
      return new Options(size, false, false);
    }

    /** On tmpfs with fast elections: the etcd-backend tests. */
    public static Options forTests(int size) {
      return new Options(size, true, true);
    }
  }

  /** One member's fixed identity and its process, when running. */
  private static final class Member {
    final String name;
    final String clientUrl;
    final String peerUrl;
    Process process;
    Client client;

    Member(String name) throws IOException {
      this.name = name;
      this.clientUrl = "http://127.0.0.1:" + LoopbackPorts.free();
      this.peerUrl = "http://127.0.0.1:" + LoopbackPorts.free();
    }

    boolean running() {
      return process != null && process.isAlive();
    }
  }

  private final Options options;
  private final Path dataRoot;
  private final List<Member> members = new ArrayList<>();
  private final Thread cleanup = new Thread(this::destroyAll, "etcd-cluster-cleanup");

  private EtcdCluster(Options options, Path dataRoot) throws IOException {
    this.options = options;
    this.dataRoot = dataRoot;
    for (int i = 1; i <= options.size(); i++) {
      members.add(new Member("e" + i));
    }
  }

  /** A cluster for side-by-side benchmarks: on disk, etcd's own timing. */
  public static EtcdCluster start(int size) throws IOException, InterruptedException {
    return start(Options.forBenchmarks(size));
  }

  /** Starts every member and waits until they agree on a leader. */
  public static EtcdCluster start(Options options) throws IOException, InterruptedException {
    Path shm = Path.of("/dev/shm");
    Path root =
        options.tmpfs() && Files.isWritable(shm)
            ? Files.createTempDirectory(shm, "mapsync-etcd-")
            : Files.createTempDirectory("mapsync-etcd-");
    EtcdCluster c = new EtcdCluster(options, root);
    Runtime.getRuntime().addShutdownHook(c.cleanup);
    String token = "mapsync-lab-" + UUID.randomUUID();
    try {
      for (int i = 0; i < options.size(); i++) {
        c.launch(i, "new", token);
      }
      c.awaitHealthy();
    } catch (IOException | InterruptedException | RuntimeException e) {
      c.close();
      throw e;
    }
    return c;
  }

  /** The etcd binary the lab runs: $MAPSYNC_ETCD, else Debian's. */
  public static Path binary() {
    String configured = System.getenv("MAPSYNC_ETCD");
    return Path.of(configured != null && !configured.isBlank() ? configured : "/usr/bin/etcd");
  }

  /** The members' client URLs. */
  public List<String> endpoints() {
    return members.stream().map(m -> m.clientUrl).toList();
  }

  public String endpoint(int member) {
    return members.get(member).clientUrl;
  }

  /** The members' names (etcd's --name), in order. */
  public List<String> names() {
    return members.stream().map(m -> m.name).toList();
  }

  /** The member's client port (a proxy in front of it cuts or slows its link). */
  public int clientPort(int member) {
    String url = members.get(member).clientUrl;
    return Integer.parseInt(url.substring(url.lastIndexOf(':') + 1));
  }

  public int size() {
    return members.size();
  }

  @Override
  public List<String> agentArgs() {
    return List.of("--backend", "etcd", "--etcd-endpoints", String.join(",", endpoints()));
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

  /** SIGSTOP: the member holds its sockets and answers nothing (a frozen VM). */
  public void pause(int member) throws IOException {
    Shell.run("kill", "-s", "STOP", Long.toString(members.get(member).process.pid()));
  }

  /** SIGCONT after {@link #pause}. */
  public void resume(int member) throws IOException {
    Shell.run("kill", "-s", "CONT", Long.toString(members.get(member).process.pid()));
  }

  /** Starts a stopped or killed member again on its data dir; waits until the cluster is whole. */
  public void restart(int member) throws IOException, InterruptedException {
    if (members.get(member).running()) {
      throw new IllegalStateException(members.get(member).name + " is running");
    }
    launch(member, "existing", "unused-for-existing-members");
    awaitHealthy();
  }

  public boolean isRunning(int member) {
    return members.get(member).running();
  }

  /** The index of the current leader, as the running members report it. */
  public int leader() throws InterruptedException {
    long deadline = System.nanoTime() + READY_TIMEOUT.toNanos();
    while (System.nanoTime() < deadline) {
      long leaderId = 0;
      List<Long> ids = new ArrayList<>();
      for (Member m : members) {
        StatusResponse s = m.running() ? status(m) : null;
        ids.add(s == null ? 0 : s.getHeader().getMemberId());
        if (s != null && s.getLeader() != 0) {
          leaderId = s.getLeader();
        }
      }
      if (leaderId != 0 && ids.contains(leaderId)) {
        return ids.indexOf(leaderId);
      }
      TimeUnit.MILLISECONDS.sleep(50);
    }
    throw new IllegalStateException("no etcd leader within " + READY_TIMEOUT + "\n" + logs());
  }

  /** Waits until every running member answers and they agree on a leader. */
  public void awaitHealthy() throws InterruptedException {
    long deadline = System.nanoTime() + READY_TIMEOUT.toNanos();
    while (System.nanoTime() < deadline) {
      // member ids are unsigned 64-bit: 0 means "no leader", any other value (even negative) is one
      Long leader = null;
      boolean agreed = true;
      for (Member m : members) {
        if (!m.running()) {
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
    throw new IllegalStateException(
        "the local etcd cluster was not healthy within " + READY_TIMEOUT + "\n" + logs());
  }

  private StatusResponse status(Member m) {
    try {
      if (m.client == null) {
        m.client = Client.builder().endpoints(m.clientUrl).build();
      }
      return m.client.getMaintenanceClient().statusMember(m.clientUrl).get(1, TimeUnit.SECONDS);
    } catch (Exception e) {
      return null; // not up yet, or down: the callers poll
    }
  }

  private void launch(int index, String state, String token) throws IOException {
    Member m = members.get(index);
    String initialCluster =
        members.stream().map(x -> x.name + "=" + x.peerUrl).collect(Collectors.joining(","));
    List<String> cmd =
        new ArrayList<>(
            List.of(
                binary().toString(),
                "--name",
                m.name,
                "--data-dir",
                dataRoot.resolve(m.name).toString(),
                "--listen-client-urls",
                m.clientUrl,
                "--advertise-client-urls",
                m.clientUrl,
                "--listen-peer-urls",
                m.peerUrl,
                "--initial-advertise-peer-urls",
                m.peerUrl,
                "--initial-cluster",
                initialCluster,
                "--initial-cluster-token",
                token,
                "--initial-cluster-state",
                state,
                "--quota-backend-bytes",
                String.valueOf(256L << 20),
                "--logger",
                "zap",
                "--log-level",
                "warn"));
    if (options.fastElections()) {
      cmd.addAll(List.of("--heartbeat-interval", "50", "--election-timeout", "500"));
    }
    ProcessBuilder pb = new ProcessBuilder(cmd);
    // a system etcd's environment (ETCD_*) must not leak into the lab's members
    pb.environment().keySet().removeIf(k -> k.startsWith("ETCD"));
    pb.redirectErrorStream(true);
    pb.redirectOutput(ProcessBuilder.Redirect.appendTo(dataRoot.resolve(m.name + ".log").toFile()));
    m.process = pb.start();
  }

  /** The tail of every member's log, for failure messages. */
  public String logs() {
    StringBuilder out = new StringBuilder();
    for (Member m : members) {
      Path log = dataRoot.resolve(m.name + ".log");
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

  private void destroyAll() {
    for (Member m : members) {
      if (m.running()) {
        m.process.destroyForcibly();
        try {
          m.process.waitFor(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      }
    }
  }

  @Override
  public void close() {
    for (Member m : members) {
      if (m.client != null) {
        m.client.close();
      }
    }
    // SIGTERM first: etcd exits cleanly; what lingers is killed
    members.stream().filter(Member::running).forEach(m -> m.process.destroy());
    destroyAllAfterGrace();
    try {
      Runtime.getRuntime().removeShutdownHook(cleanup);
    } catch (IllegalStateException e) {
      // the JVM is already shutting down
    }
    try (Stream<Path> s = Files.walk(dataRoot)) {
      s.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException e) {
      // best effort: a temp dir
    }
  }

  private void destroyAllAfterGrace() {
    for (Member m : members) {
      try {
        if (m.process != null && !m.process.waitFor(10, TimeUnit.SECONDS)) {
          m.process.destroyForcibly();
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    destroyAll();
  }
}
