package io.mapsync.lab;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * Runs the system tools the labs are made of (ip, nft, tc, kill, etcdctl). A failing command throws
 * with its output, so a fault that was not injected never passes for one that was.
 */
public final class Shell {
  private static final long TIMEOUT_SECONDS = 20;

  private Shell() {}

  /** Runs a command; returns its output; throws if it fails or hangs. */
  public static String run(String... command) throws IOException {
    return run(List.of(command), null);
  }

  /**
   * Runs a prepared command (its environment set) with its own time limit: a topology script or a
   * JVM that installs a datapath takes longer than a tool; returns its output, throws if it fails.
   */
  public static String run(ProcessBuilder command, Duration timeout) throws IOException {
    Process p = command.redirectErrorStream(true).start();
    p.getOutputStream().close();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    String shown = String.join(" ", command.command());
    try {
      if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
        p.destroyForcibly();
        throw new IOException(shown + " did not finish in " + timeout.toSeconds() + " s");
      }
    } catch (InterruptedException e) {
      p.destroyForcibly();
      Thread.currentThread().interrupt();
      throw new IOException("interrupted while running " + shown, e);
    }
    if (p.exitValue() != 0) {
      throw new IOException(shown + " failed (exit " + p.exitValue() + "):\n" + out.strip());
    }
    return out;
  }

  /** Runs a command with text on its standard input (nft -f -). */
  public static String run(List<String> command, String stdin) throws IOException {
    Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
    if (stdin != null) {
      p.getOutputStream().write(stdin.getBytes(StandardCharsets.UTF_8));
    }
    p.getOutputStream().close();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    try {
      if (!p.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        throw new IOException(
            String.join(" ", command) + " did not finish in " + TIMEOUT_SECONDS + " s");
      }
    } catch (InterruptedException e) {
      p.destroyForcibly();
      Thread.currentThread().interrupt();
      throw new IOException("interrupted while running " + String.join(" ", command), e);
    }
    if (p.exitValue() != 0) {
      throw new IOException(
          String.join(" ", command) + " failed (exit " + p.exitValue() + "): " + out.strip());
    }
    return out;
  }

  /**
   * Runs a command to completion and returns its output whatever its exit code (a reset that may
   * find nothing).
   */
  public static String runAllowingFailure(List<String> command) throws IOException {
    try {
      return run(command, null);
    } catch (IOException failed) {
      return failed.getMessage();
    }
  }

  /** Runs a clean-up command whose failure only means there was nothing to clean. */
  public static void quietly(String... command) {
    try {
      run(command);
    } catch (IOException e) {
      // already gone
    }
  }

  /** True if an executable of that name is on the PATH or in /usr/sbin, /sbin. */
  public static boolean hasTool(String name) {
    return findTool(name).isPresent();
  }

  /** The executable of that name on the PATH or in /usr/sbin, /sbin, /usr/bin, /bin. */
  public static Optional<Path> findTool(String name) {
    String path = System.getenv().getOrDefault("PATH", "") + ":/usr/sbin:/sbin:/usr/bin:/bin";
    for (String dir : path.split(":")) {
      if (!dir.isEmpty() && Files.isExecutable(Path.of(dir, name))) {
        return Optional.of(Path.of(dir, name));
      }
    }
    return Optional.empty();
  }
}
