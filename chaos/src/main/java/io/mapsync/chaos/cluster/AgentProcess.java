package io.mapsync.chaos.cluster;

import io.mapsync.lab.Shell;
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
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * One member as an OS process: the real agent (io.mapsync.agent.cli.Main agent) started inside the
 * member's network namespace with nsenter, which execs the JVM, so the pid we hold is the agent's
 * and signals reach it directly. Every start is a new {@link Incarnation}; stdout and stderr of all
 * of them go to one log file per member.
 */
public final class AgentProcess {
  private final String id;
  private final Path netns;
  private final Path config;
  private final Path log;
  private final List<Incarnation> incarnations = new ArrayList<>();
  private Process process;
  private Incarnation current;
  private boolean paused;
  private volatile String agentId;
  private volatile Map<String, String> environment = Map.of();

  private final Path archiveDir;

  AgentProcess(String id, Path netns, Path config, Path log, Path archiveDir) {
    this.archiveDir = archiveDir;
    this.id = id;
    this.agentId = id;
    this.netns = netns;
    this.config = config;
    this.log = log;
  }

  public String id() {
    return id;
  }

  /**
   * The agent's own id (its Raft member name): the lab name, until the member is replaced by one
   * with a new id on the same host.
   */
  public String agentId() {
    return agentId;
  }

  /** Variables every later start adds to the agent's environment (libfaketime's). */
  void environment(Map<String, String> env) {
    environment = Map.copyOf(env);
  }

  void agentId(String newId) {
    note("the host's agent now has the id " + newId + " (was " + agentId + ")");
    agentId = newId;
  }

  public Path log() {
    return log;
  }

  /** Starts a new incarnation and waits for its ready line (bootstrap done, capture running). */
  public synchronized void start(Duration readyTimeout) throws IOException {
    if (running()) {
      throw new IllegalStateException(id + " is already running: " + current);
    }
    List<String> cmd =
        new ArrayList<>(
            List.of(
                "nsenter",
                "--net=" + netns,
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                // Small, single-threaded-GC JVMs: several of them share a few cores with the test.
                "-Xmx768m",
                "-XX:+UseSerialGC",
                "-XX:TieredStopAtLevel=1",
                "-Xss512k",
                "-Xlog:gc:file=" + log.resolveSibling(id + "-gc.log") + "::filecount=0",
                "-Dlogback.configurationFile=" + AgentLogging.configFile(log.getParent())));
    AgentClasspath.Sharing sharing = AgentClasspath.sharing(archiveDir);
    cmd.addAll(sharing.flags());
    cmd.addAll(
        List.of(
            "-cp",
            AgentClasspath.classpath(),
            "io.mapsync.agent.cli.Main",
            "agent",
            "--config",
            config.toString()));
    List<String> shown = new ArrayList<>(cmd);
    shown.set(shown.indexOf("-cp") + 1, "<classpath>");
    note("starting: " + String.join(" ", shown));
    ProcessBuilder pb =
        new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.appendTo(log.toFile()));
    pb.environment().putAll(environment);
    if (!environment.isEmpty()) {
      note("environment: " + environment);
    }
    Process p = pb.start();
    Incarnation inc = new Incarnation(id, incarnations.size() + 1, p.pid(), Instant.now());
    incarnations.add(inc);
    process = p;
    current = inc;
    paused = false;
    p.onExit()
        .thenAccept(
            done -> {
              inc.exited(done.exitValue(), RaftMemberExit.of(done.exitValue(), log));
              sharing.publish(done.exitValue() == 0 || done.exitValue() == 143);
              note(
                  "incarnation "
                      + inc.number()
                      + " exited with "
                      + done.exitValue()
                      + (inc.stoppedBy() != null
                          ? " (" + inc.stoppedBy() + ")"
                          : inc.stoppedOnRaftFailure()
                              ? " (stopped itself: its Raft member failed)"
                              : " (UNEXPECTED)"));
            });
    CompletableFuture<Void> ready = new CompletableFuture<>();
    ready.thenRun(inc::ready);
    Thread reader = new Thread(() -> readStdout(p, ready), "chaos-stdout-" + id);
    reader.setDaemon(true);
    reader.start();
    try {
      ready.get(readyTimeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (TimeoutException e) {
      throw new IOException(id + " did not report ready within " + readyTimeout + "; see " + log);
    } catch (ExecutionException e) {
      throw new IOException(id + " exited before it was ready; see " + log, e.getCause());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted while waiting for " + id, e);
    }
  }

  private void readStdout(Process p, CompletableFuture<Void> ready) {
    try (BufferedReader out =
        new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
      String line;
      while ((line = out.readLine()) != null) {
        note("stdout: " + line);
        if (line.startsWith("mapsync agent " + agentId + " ready")) {
          ready.complete(null);
        }
      }
    } catch (IOException e) {
      // the process is gone; the exit handler records how
    }
    ready.completeExceptionally(new IOException("stdout closed"));
  }

  /** SIGKILL: the process dies at once, mid-write, as on a power cut of one host. */
  public synchronized void kill(String why) throws InterruptedException {
    if (!running()) {
      return;
    }
    current.expectExit(why);
    process.destroyForcibly();
    if (!process.waitFor(10, TimeUnit.SECONDS)) {
      throw new IllegalStateException(id + " survived SIGKILL: " + current);
    }
    paused = false;
  }

  /**
   * SIGTERM, then SIGKILL if it lingers: the end of a run, where a clean exit lets the JVM write
   * its class-sharing archive.
   */
  public synchronized void stop(String why) throws InterruptedException {
    if (!running()) {
      return;
    }
    current.expectExit(why);
    if (paused) {
      process.destroyForcibly();
    } else {
      // kill(1), not Process.destroy(): destroy closes our end of the agent's stdout, and the
      // agent's shutdown would then write into a broken pipe
      try {
        Shell.run("kill", "-s", "TERM", Long.toString(process.pid()));
      } catch (IOException e) {
        process.destroy();
      }
    }
    // a JVM writing its class-sharing archive at exit takes a while on a busy machine
    if (!process.waitFor(60, TimeUnit.SECONDS)) {
      note("still running 60 s after SIGTERM; SIGKILL");
      process.destroyForcibly();
      process.waitFor(10, TimeUnit.SECONDS);
    }
    paused = false;
  }

  /**
   * SIGSTOP: the process stays, holds its sockets, and answers nothing (a long GC pause, a frozen
   * VM).
   */
  public synchronized void pause() throws IOException {
    signal("STOP");
    paused = true;
  }

  /**
   * SIGQUIT: the JVM prints a thread dump to its stdout, which lands in the member's log. Taken
   * when a member does not catch up, so a hang can be read after the run.
   */
  public synchronized void dumpThreads(String why) {
    if (running() && !paused) {
      note("thread dump (" + why + ")");
      try {
        Shell.run("kill", "-s", "QUIT", Long.toString(process.pid()));
      } catch (IOException e) {
        note("thread dump failed: " + e.getMessage());
      }
    }
  }

  /** SIGCONT after {@link #pause()}. */
  public synchronized void resume() throws IOException {
    signal("CONT");
    paused = false;
  }

  private void signal(String name) throws IOException {
    if (!running()) {
      throw new IllegalStateException(id + " is not running; cannot send SIG" + name);
    }
    Shell.run("kill", "-s", name, Long.toString(process.pid()));
    note("sent SIG" + name);
  }

  public synchronized boolean running() {
    return process != null && process.isAlive();
  }

  public synchronized boolean paused() {
    return paused && running();
  }

  /**
   * It is not running because it stopped itself when its Raft member died: a supervisor would start
   * it again.
   */
  public synchronized boolean awaitsSupervisorRestart() {
    return !running() && current != null && current.stoppedOnRaftFailure();
  }

  /** Every incarnation so far, oldest first. */
  public synchronized List<Incarnation> incarnations() {
    return List.copyOf(incarnations);
  }

  /** Appends a line of the harness's own to the member's log, so the log tells the whole story. */
  public void note(String line) {
    try {
      Files.writeString(
          log,
          Instant.now() + " [chaos] " + id + ": " + line + "\n",
          StandardCharsets.UTF_8,
          StandardOpenOption.CREATE,
          StandardOpenOption.APPEND);
    } catch (IOException e) {
      // the log is for people; losing a line must not stop the run
    }
  }
}
