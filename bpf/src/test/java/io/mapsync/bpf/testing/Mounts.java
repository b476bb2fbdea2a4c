package io.mapsync.bpf.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Mounts bpffs or tracefs when a test machine lacks them. */
final class Mounts {
  private Mounts() {}

  /** True when a filesystem of that type is mounted at the target (mounting it if needed). */
  static boolean ensure(String type, String target) {
    if (mounted(type, target)) {
      return true;
    }
    try {
      Process p =
          new ProcessBuilder("mount", "-t", type, type, target).redirectErrorStream(true).start();
      p.getInputStream().readAllBytes();
      p.waitFor();
    } catch (IOException e) {
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
    return mounted(type, target);
  }

  private static boolean mounted(String type, String target) {
    try {
      for (String line : Files.readAllLines(Path.of("/proc/self/mounts"))) {
        String[] f = line.split(" ");
        if (f.length > 2 && f[1].equals(target) && f[2].equals(type)) {
          return true;
        }
      }
    } catch (IOException e) {
      return false;
    }
    return false;
  }
}
