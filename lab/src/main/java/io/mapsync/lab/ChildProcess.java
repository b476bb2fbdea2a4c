package io.mapsync.lab;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * A program the test started (an agent, a backend): output to a log file, stopped on close with
 * SIGTERM (the agent's shutdown hook leaves the cluster cleanly), then SIGKILL. Every child is also
 * stopped if the test JVM exits first.
 */
public final class ChildProcess implements AutoCloseable {
  private static final Set<Process> ALIVE = ConcurrentHashMap.newKeySet();

  static {
    Runtime.getRuntime().addShutdownHook(new Thread(() -> ALIVE.forEach(Process::destroyForcibly)));
  }

  private final String name;
  private final Path log;
  private final Process process;

  public ChildProcess(String name, Path log, List<String> command) throws IOException {
    this.name = name;
    this.log = log;
    this.process =
        new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
    ALIVE.add(process);
  }

  /**
   * Waits until the log shows a line containing the text; fails with the log's tail if the program
   * exits or times out.
   */
  public ChildProcess awaitLine(String text, Duration timeout)
      throws IOException, InterruptedException {
    if (!waitFor(text, timeout)) {
      throw new AssertionError(
          name
              + " did not print '"
              + text
              + "' within "
              + timeout
              + "; its log ends with:\n"
              + tail());
    }
    return this;
  }

  /** Like {@link #awaitLine} but answers false on a timeout. */
  public boolean waitFor(String text, Duration timeout) throws IOException, InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (!printed(text)) {
      if (!process.isAlive()) {
        throw new AssertionError(
            name + " exited with " + process.exitValue() + "; its log ends with:\n" + tail());
      }
      if (System.nanoTime() > deadline) {
        return false;
      }
      Thread.sleep(50);
    }
    return true;
  }

  public boolean printed(String text) throws IOException {
    return Files.readString(log).contains(text);
  }

  public String tail() throws IOException {
    List<String> lines = Files.readAllLines(log);
    return String.join("\n", lines.subList(Math.max(0, lines.size() - 30), lines.size()));
  }

  public String name() {
    return name;
  }

  /** The file its standard output and error go to. */
  public Path log() {
    return log;
  }

  /** SIGKILL at once, as a host that dies. */
  public void kill() throws InterruptedException {
    process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
    ALIVE.remove(process);
  }

  @Override
  public void close() {
    stop(process, 15);
    ALIVE.remove(process);
  }

  /** SIGTERM, then SIGKILL if the process is still there after the grace period. */
  public static void stop(Process process, int graceSeconds) {
    process.destroy();
    try {
      if (!process.waitFor(graceSeconds, TimeUnit.SECONDS)) {
        process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      process.destroyForcibly();
      Thread.currentThread().interrupt();
    }
  }
}
