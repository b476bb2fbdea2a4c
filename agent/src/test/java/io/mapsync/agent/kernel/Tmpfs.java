package io.mapsync.agent.kernel;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * A small tmpfs mounted on a test's directory, to make a disk full on purpose; unmounted on close.
 */
final class Tmpfs implements AutoCloseable {
  private final Path dir;

  private Tmpfs(Path dir) {
    this.dir = dir;
  }

  /**
   * Mounts a tmpfs of the given size (e.g. "12m") on dir, created if needed. Needs root and
   * mount(8).
   */
  static Tmpfs mount(Path dir, String size) throws IOException, InterruptedException {
    Files.createDirectories(dir);
    run("mount", "-t", "tmpfs", "-o", "size=" + size, "mapsync-test", dir.toString());
    return new Tmpfs(dir);
  }

  /** Frees space the way an operator would: the file system grows, its files stay. */
  void resize(String size) throws IOException, InterruptedException {
    run("mount", "-o", "remount,size=" + size, dir.toString());
  }

  /** Lazily, so a process that still holds a file there does not keep the test from cleaning up. */
  @Override
  public void close() throws IOException, InterruptedException {
    run("umount", "-l", dir.toString());
  }

  private static void run(String... command) throws IOException, InterruptedException {
    Process p = new ProcessBuilder(command).inheritIO().start();
    if (!p.waitFor(30, TimeUnit.SECONDS) || p.exitValue() != 0) {
      throw new IOException(String.join(" ", command) + " failed");
    }
  }
}
