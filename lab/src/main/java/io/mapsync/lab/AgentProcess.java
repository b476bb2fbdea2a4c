package io.mapsync.lab;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * One agent as an OS process, the way every lab runs one (chaos members, the benchmarks' and the
 * process tests' local clusters): the real binary, or this JVM's class path, started optionally
 * behind a prefix (nsenter into a network namespace, which execs the JVM, so the pid we hold is the
 * agent's and signals reach it directly). Its stderr and its stdout lines go to one log file,
 * together with the lab's own notes (starts, signals), so the log tells the whole story; it is
 * ready when it prints its ready line. Each {@link #start} runs a new process on the same data.
 */
public final class AgentProcess {
  /**
   * How to run it.
   *
   * @param prefix what goes before the JVM (e.g. nsenter --net=...), or empty
   * @param jvmOptions JVM flags (heap, GC, logging config)
   * @param archiveDir where the class-sharing archive of the agent's classes lives (see {@link
   *     AgentClasspath}), or null for none
   * @param args the agent's command line (agent --config ..., or its flags)
   * @param inheritStderr the agent's stderr goes to this process's (the demo) instead of the log
   * @param environment variables added to the agent's environment (e.g. libfaketime's)
   * @param binary the agent's jar, or null for {@link #program}'s choice
   */
  public record Launch(
      List<String> prefix,
      List<String> jvmOptions,
      Path archiveDir,
      List<String> args,
      boolean inheritStderr,
      Map<String, String> environment,
      Path binary) {
    public Launch {
      prefix = List.copyOf(prefix);
      jvmOptions = List.copyOf(jvmOptions);
      args = List.copyOf(args);
      environment = Map.copyOf(environment);
    }

    public Launch(
        List<String> prefix,
        List<String> jvmOptions,
        Path archiveDir,
        List<String> args,
        boolean inheritStderr) {
      this(prefix, jvmOptions, archiveDir, args, inheritStderr, Map.of(), null);
    }

    /** The same with these variables in the agent's environment. */
    public Launch withEnvironment(Map<String, String> env) {
      return new Launch(prefix, jvmOptions, archiveDir, args, inheritStderr, env, binary);
    }

    /** The same, running this jar (java -jar). */
    public Launch withBinary(Path jar) {
      return new Launch(prefix, jvmOptions, archiveDir, args, inheritStderr, environment, jar);
    }
  }

  /** Agents still running, killed if the lab's JVM exits first (a failed or interrupted test). */
  private static final Set<Process> ALIVE = ConcurrentHashMap.newKeySet();

  static {
    Runtime.getRuntime().addShutdownHook(new Thread(() -> ALIVE.forEach(Process::destroyForcibly)));
  }

  private final String id;
  private final String tag;
  private final Path log;
  private Launch launch;
  private volatile String agentId;
  private Process process;
  private CompletableFuture<Void> ready = new CompletableFuture<>();

  /**
   * @param tag names the lab in the log's notes ({@code [chaos]}), which log readers look for
   */
  public AgentProcess(String id, String tag, Launch launch, Path log) {
    this.id = id;
    this.agentId = id;
    this.tag = tag;
    this.launch = launch;
    this.log = log;
  }

  public String id() {
    return id;
  }

  public Path log() {
    return log;
  }

  /**
   * The next start runs with these settings (a member whose config, flags or environment change).
   */
  public synchronized void relaunchWith(Launch next) {
    this.launch = next;
  }

  /** How it runs now. */
  public synchronized Launch launch() {
    return launch;
  }

  /**
   * The agent's own id (its Raft member name), whose ready line it waits for: the lab's name for
   * it, until the host's member is replaced by one with a new id.
   */
  public String agentId() {
    return agentId;
  }

  public void agentId(String newId) {
    note("the host's agent now has the id " + newId + " (was " + agentId + ")");
    agentId = newId;
  }

  /**
   * The JVM and class path part of an agent's command line: the built binary when the system
   * property mapsync.binary names it (process tests), else this JVM's class path.
   */
  public static List<String> program(AgentClasspath.Sharing sharing) {
    List<String> cmd = new ArrayList<>(sharing.flags());
    String binary = System.getProperty("mapsync.binary");
    if (binary != null) {
      cmd.addAll(List.of("-jar", binary));
    } else {
      cmd.addAll(List.of("-cp", AgentClasspath.classpath(), "io.mapsync.agent.cli.Main"));
    }
    return cmd;
  }

  /** Starts a new process (the previous one must have exited) and returns it; does not wait. */
  public synchronized Process start() throws IOException {
    if (running()) {
      throw new IllegalStateException(id + " is already running (pid " + process.pid() + ")");
    }
    Files.createDirectories(log.toAbsolutePath().getParent());
    AgentClasspath.Sharing sharing =
        launch.archiveDir() == null
            ? new AgentClasspath.Sharing(List.of(), null, null)
            : AgentClasspath.sharing(launch.archiveDir());
    List<String> cmd = new ArrayList<>(launch.prefix());
    cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    cmd.addAll(launch.jvmOptions());
    if (launch.binary() != null) {
      cmd.addAll(List.of("-jar", launch.binary().toString()));
    } else {
      cmd.addAll(program(sharing));
    }
    cmd.addAll(launch.args());
    List<String> shown = new ArrayList<>(cmd);
    int cp = shown.indexOf("-cp");
    if (cp >= 0) {
      shown.set(cp + 1, "<classpath>");
    }
    note("starting: " + String.join(" ", shown));
    ProcessBuilder pb = new ProcessBuilder(cmd);
    pb.environment().putAll(launch.environment());
    if (!launch.environment().isEmpty()) {
      note("environment: " + launch.environment());
    }
    pb.redirectError(
        launch.inheritStderr()
            ? ProcessBuilder.Redirect.INHERIT
            : ProcessBuilder.Redirect.appendTo(log.toFile()));
    Process p = pb.start();
    ALIVE.add(p);
    p.onExit().thenRun(() -> ALIVE.remove(p));
    process = p;
    CompletableFuture<Void> isReady = new CompletableFuture<>();
    ready = isReady;
    p.onExit()
        .thenAccept(done -> sharing.publish(done.exitValue() == 0 || done.exitValue() == 143));
    Thread reader = new Thread(() -> readStdout(p, isReady), "agent-stdout-" + id);
    reader.setDaemon(true);
    reader.start();
    return p;
  }

  /** Waits for the ready line of the process last started. */
  public void awaitReady(Duration timeout) throws IOException {
    CompletableFuture<Void> current;
    synchronized (this) {
      current = ready;
    }
    try {
      current.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (TimeoutException e) {
      throw new IOException(
          id + " did not report ready within " + timeout + "; see " + log + tail(), e);
    } catch (ExecutionException e) {
      throw new IOException(id + " exited before it was ready; see " + log + tail(), e.getCause());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted while waiting for " + id, e);
    }
  }

  /** The ready future of the process last started (completes on its ready line). */
  public synchronized CompletableFuture<Void> ready() {
    return ready;
  }

  private void readStdout(Process p, CompletableFuture<Void> isReady) {
    try (BufferedReader out =
        new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
      String line;
      while ((line = out.readLine()) != null) {
        note("stdout: " + line);
        if (line.startsWith("mapsync agent " + agentId + " ready")) {
          isReady.complete(null);
        }
      }
    } catch (IOException e) {
      // the process is gone; its exit is recorded by whoever watches it
    }
    isReady.completeExceptionally(new IOException("stdout closed"));
  }

  /** SIGKILL: the process dies at once, mid-write, as on a power cut of one host. */
  public void kill() throws InterruptedException {
    Process p = current();
    if (p == null || !p.isAlive()) {
      return;
    }
    p.destroyForcibly();
    if (!p.waitFor(10, TimeUnit.SECONDS)) {
      throw new IllegalStateException(id + " survived SIGKILL (pid " + p.pid() + ")");
    }
  }

  /**
   * SIGTERM, then SIGKILL if it lingers past the grace: a clean exit lets the agent leave and the
   * JVM write its class-sharing archive.
   */
  public void stop(Duration grace) throws InterruptedException {
    Process p = current();
    if (p == null || !p.isAlive()) {
      return;
    }
    // kill(1), not Process.destroy(): destroy closes our end of the agent's stdout, and the
    // agent's shutdown would then write into a broken pipe
    try {
      Shell.run("kill", "-s", "TERM", Long.toString(p.pid()));
    } catch (IOException e) {
      p.destroy();
    }
    if (!p.waitFor(grace.toMillis(), TimeUnit.MILLISECONDS)) {
      note("still running " + grace.toSeconds() + " s after SIGTERM; SIGKILL");
      p.destroyForcibly();
      p.waitFor(10, TimeUnit.SECONDS);
    }
  }

  /** Sends a signal by name (STOP, CONT, QUIT) and notes it in the log. */
  public void signal(String name) throws IOException {
    Process p = current();
    if (p == null || !p.isAlive()) {
      throw new IllegalStateException(id + " is not running; cannot send SIG" + name);
    }
    Shell.run("kill", "-s", name, Long.toString(p.pid()));
    note("sent SIG" + name);
  }

  public synchronized boolean running() {
    return process != null && process.isAlive();
  }

  /** The process last started, or null. */
  public synchronized Process current() {
    return process;
  }

  public long pid() {
    return current().pid();
  }

  /** Appends a line of the lab's own to the log. */
  public void note(String line) {
    try {
      Files.writeString(
          log,
          Instant.now() + " [" + tag + "] " + id + ": " + line + "\n",
          StandardCharsets.UTF_8,
          StandardOpenOption.CREATE,
          StandardOpenOption.APPEND);
    } catch (IOException e) {
      // the log is for people; losing a line must not stop the run
    }
  }

  private String tail() {
    try {
      List<String> all = Files.readAllLines(log, StandardCharsets.UTF_8);
      return ", last lines:\n"
          + String.join("\n", all.subList(Math.max(0, all.size() - 15), all.size()));
    } catch (IOException e) {
      return "";
    }
  }
}
