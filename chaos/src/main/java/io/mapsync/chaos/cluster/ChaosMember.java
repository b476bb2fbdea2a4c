package io.mapsync.chaos.cluster;

import io.mapsync.lab.AgentProcess;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * One member of the chaos lab: the lab's {@link AgentProcess} started inside the member's network
 * namespace with nsenter, with small single-GC JVMs (several share a few cores with the test), and
 * the record the checks judge: every start is a new {@link Incarnation}, and its exit is a crash
 * unless a fault or the clean-up expected it.
 */
public final class ChaosMember {
  private static final Duration STOP_GRACE = Duration.ofSeconds(60);

  private final AgentProcess process;
  private final List<Incarnation> incarnations = new ArrayList<>();
  private Incarnation current;
  private boolean paused;

  ChaosMember(String id, Path netns, Path config, Path log, Path archiveDir) {
    this.process =
        new AgentProcess(
            id,
            "chaos",
            new AgentProcess.Launch(
                List.of("nsenter", "--net=" + netns),
                List.of(
                    "-Xmx768m",
                    "-XX:+UseSerialGC",
                    "-XX:TieredStopAtLevel=1",
                    "-Xss512k",
                    "-Xlog:gc:file=" + log.resolveSibling(id + "-gc.log") + "::filecount=0",
                    "-Dlogback.configurationFile=" + AgentLogging.configFile(log.getParent())),
                archiveDir,
                List.of("agent", "--config", config.toString()),
                false),
            log);
  }

  public String id() {
    return process.id();
  }

  public Path log() {
    return process.log();
  }

  /** Starts a new incarnation and waits for its ready line (bootstrap done, capture running). */
  public synchronized void start(Duration readyTimeout) throws IOException {
    if (running()) {
      throw new IllegalStateException(id() + " is already running: " + current);
    }
    Process p = process.start();
    Incarnation inc = new Incarnation(id(), incarnations.size() + 1, p.pid(), Instant.now());
    incarnations.add(inc);
    current = inc;
    paused = false;
    p.onExit()
        .thenAccept(
            done -> {
              inc.exited(done.exitValue(), RaftMemberExit.of(done.exitValue(), log()));
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
    process.ready().thenRun(inc::ready);
    process.awaitReady(readyTimeout);
  }

  /** SIGKILL: the process dies at once, mid-write, as on a power cut of one host. */
  public synchronized void kill(String why) throws InterruptedException {
    if (!running()) {
      return;
    }
    current.expectExit(why);
    process.kill();
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
      process.kill();
    } else {
      // a JVM writing its class-sharing archive at exit takes a while on a busy machine
      process.stop(STOP_GRACE);
    }
    paused = false;
  }

  /**
   * SIGSTOP: the process stays, holds its sockets, and answers nothing (a long GC pause, a frozen
   * VM).
   */
  public synchronized void pause() throws IOException {
    process.signal("STOP");
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
        process.signal("QUIT");
      } catch (IOException e) {
        note("thread dump failed: " + e.getMessage());
      }
    }
  }

  /** SIGCONT after {@link #pause()}. */
  public synchronized void resume() throws IOException {
    process.signal("CONT");
    paused = false;
  }

  public synchronized boolean running() {
    return process.running();
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

  /**
   * The agent's own id (its Raft member name): the lab name, until the member is replaced by one
   * with a new id on the same host.
   */
  public String agentId() {
    return process.agentId();
  }

  void agentId(String newId) {
    process.agentId(newId);
  }

  /** Variables every later start adds to the agent's environment (libfaketime's). */
  void environment(java.util.Map<String, String> env) {
    process.relaunchWith(process.launch().withEnvironment(env));
  }

  /** Appends a line of the harness's own to the member's log, so the log tells the whole story. */
  public void note(String line) {
    process.note(line);
  }
}
