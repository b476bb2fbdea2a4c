package io.mapsync.lab;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * A local cluster of real agent processes (the mapsync binary), each with its own data dir and its
 * own pinned map: what the sync benchmark and the demo run against. Removes everything on close.
 */
public final class AgentProcesses implements AutoCloseable {
  private final Path dataRoot;
  private final Path pinRoot;
  private final Map<String, AgentProcess> processes = new LinkedHashMap<>();
  private final Map<String, String> peers = new LinkedHashMap<>();
  private final Map<String, String> clients = new LinkedHashMap<>();
  private final String mapFlag;
  private final List<String> extraArgs;
  private final List<String> listeners = new ArrayList<>();
  private List<String> voterJvm = List.of("-Xmx1g");
  private List<String> listenerJvm = List.of("-Xmx1g");
  private boolean inheritLogs;

  /** Set when a member failed: its data dir and log stay for the operator to read. */
  private boolean keepLogs;

  /**
   * @param mapSpec the map every agent creates: name:type:key:value:max
   * @param extraArgs more agent flags for every member (e.g. the etcd backend)
   */
  public AgentProcesses(int members, String mapSpec, String pinBase, List<String> extraArgs)
      throws IOException {
    this.dataRoot = Files.createTempDirectory("mapsync-local");
    this.pinRoot = Path.of(pinBase, "run-" + ProcessHandle.current().pid());
    this.mapFlag = mapSpec;
    this.extraArgs = extraArgs;
    for (int i = 1; i <= members; i++) {
      peers.put("n" + i, "127.0.0.1:" + LoopbackPorts.free());
      clients.put("n" + i, "127.0.0.1:" + LoopbackPorts.free());
    }
  }

  /**
   * Adds members l1..lN that are in the configuration from the start as listeners (they receive the
   * log, never vote); call before {@link #start}.
   */
  public AgentProcesses withListeners(int count) throws IOException {
    for (int i = 1; i <= count; i++) {
      String id = "l" + i;
      listeners.add(id);
      peers.put(id, "127.0.0.1:" + LoopbackPorts.free());
      clients.put(id, "127.0.0.1:" + LoopbackPorts.free());
    }
    return this;
  }

  /** JVM options of voters and of listeners (default -Xmx1g for both). */
  public AgentProcesses jvmOptions(List<String> voters, List<String> listenerOptions) {
    this.voterJvm = List.copyOf(voters);
    this.listenerJvm = List.copyOf(listenerOptions);
    return this;
  }

  /** Every member's id: voters n1.., then listeners l1... */
  public List<String> ids() {
    return List.copyOf(peers.keySet());
  }

  public List<String> listenerIds() {
    return List.copyOf(listeners);
  }

  /** The process id of a running member. */
  public long pid(String id) {
    return processes.get(id).pid();
  }

  public Path pin(String id) {
    return pinRoot.resolve(id).resolve(mapFlag.substring(0, mapFlag.indexOf(':')));
  }

  public Map<String, String> clients() {
    return clients;
  }

  /**
   * Starts every member and waits until each prints its ready line: the voters first, then the
   * listeners ten at a time, so dozens of JVMs starting at once do not starve the voters' election.
   */
  public void start(boolean inheritLogs) throws IOException, InterruptedException {
    this.inheritLogs = inheritLogs;
    List<String> voters = peers.keySet().stream().filter(id -> !listeners.contains(id)).toList();
    startAll(voters);
    for (int i = 0; i < listeners.size(); i += LISTENER_WAVE) {
      startAll(listeners.subList(i, Math.min(listeners.size(), i + LISTENER_WAVE)));
    }
  }

  private static final int LISTENER_WAVE = 10;

  private void startAll(List<String> ids) throws IOException {
    for (String id : ids) {
      AgentProcess p = processes.computeIfAbsent(id, this::member);
      p.start();
    }
    for (String id : ids) {
      awaitReady(processes.get(id));
    }
  }

  /** One member: its JVM flags, its command line, its log. */
  private AgentProcess member(String id) {
    List<String> jvm = new ArrayList<>(listeners.contains(id) ? listenerJvm : voterJvm);
    // Extra JVM flags for the members, e.g. a flight recording per member when profiling.
    String opts = System.getenv("MAPSYNC_AGENT_JAVA_OPTS");
    if (opts != null && !opts.isBlank()) {
      jvm.addAll(List.of(opts.replace("{id}", id).trim().split("\\s+")));
    }
    String peerList =
        String.join(
            ",", peers.entrySet().stream().map(e -> e.getKey() + "=" + e.getValue()).toList());
    List<String> args =
        new ArrayList<>(
            List.of(
                "agent",
                "--id",
                id,
                "--peers",
                peerList,
                "--data-dir",
                dataRoot.resolve(id).toString(),
                "--map",
                mapFlag,
                "--pin-dir",
                pinRoot.resolve(id).toString()));
    if (!listeners.isEmpty()) {
      args.addAll(List.of("--listener", String.join(",", listeners)));
    }
    if (servesEtcdApi()) {
      args.addAll(List.of("--client", clients.get(id)));
    }
    args.addAll(extraArgs);
    return new AgentProcess(
        id,
        "lab",
        new AgentProcess.Launch(List.of(), jvm, null, args, inheritLogs),
        dataRoot.resolve(id + ".log"));
  }

  /**
   * Keeps the members' data dirs and logs after close (a test that failed calls this); returns
   * where.
   */
  public Path keepLogs() {
    keepLogs = true;
    return dataRoot;
  }

  /** With an external etcd as the log, clients talk to etcd: the agents serve no etcd API. */
  private boolean servesEtcdApi() {
    int i = extraArgs.indexOf("--backend");
    return i < 0 || i + 1 >= extraArgs.size() || !extraArgs.get(i + 1).equals("etcd");
  }

  /** SIGKILL: the member dies without any shutdown step. */
  public void kill(String id) throws InterruptedException {
    processes.get(id).kill();
  }

  /** Starts a stopped member again from its data dir and pinned map; waits until it is ready. */
  public void restart(String id) throws IOException {
    processes.get(id).start();
    awaitReady(processes.get(id));
  }

  /** The members' process ids, for looking at them from outside (e.g. their JIT's CPU time). */
  public List<Long> pids() {
    return processes.values().stream()
        .filter(AgentProcess::running)
        .map(AgentProcess::pid)
        .toList();
  }

  public boolean alive(String id) {
    return processes.get(id).running();
  }

  public Path log(String id) {
    return dataRoot.resolve(id + ".log");
  }

  private void awaitReady(AgentProcess p) throws IOException {
    try {
      p.awaitReady(READY_TIMEOUT);
    } catch (IOException e) {
      keepLogs = true;
      throw new IOException(e.getMessage() + "\n(the log is kept)", e);
    }
  }

  private static final java.time.Duration READY_TIMEOUT = java.time.Duration.ofMinutes(3);

  @Override
  public void close() throws IOException {
    for (AgentProcess p : processes.values()) {
      Process running = p.current();
      if (running != null && running.isAlive()) {
        running.destroy();
      }
    }
    for (AgentProcess p : processes.values()) {
      try {
        p.stop(java.time.Duration.ofSeconds(10));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    deleteTree(pinRoot);
    if (!keepLogs) {
      deleteTree(dataRoot);
    }
  }

  private static void deleteTree(Path root) throws IOException {
    if (Files.exists(root)) {
      try (Stream<Path> s = Files.walk(root)) {
        s.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
      }
    }
  }
}
