package io.mapsync.lab;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
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
    String path = System.getenv().getOrDefault("PATH", "") + ":/usr/sbin:/sbin:/usr/bin:/bin";
    for (String dir : path.split(":")) {
      if (!dir.isEmpty() && java.nio.file.Files.isExecutable(java.nio.file.Path.of(dir, name))) {
        return true;
      }
    }
    return false;
  }
}
