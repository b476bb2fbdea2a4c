package io.mapsync.chaos.cluster;

import io.mapsync.lab.Shell;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

/**
 * Removes what runs of dead processes left behind (a JVM killed mid-test never ran its clean-up):
 * their namespaces, bridges and pins. Only names carrying the pid of a process that no longer
 * exists are touched; a run going on in another process keeps everything.
 */
public final class LabJanitor {
  private LabJanitor() {}

  public static void removeLeftovers() {
    try {
      for (String line : Shell.run("ip", "netns", "list").split("\n")) {
        String name = line.split(" ")[0].trim();
        if (dead(LabNames.ownerOf(LabNames.NETNS, name, 10))) {
          Shell.quietly("ip", "netns", "del", name);
        }
      }
      for (String line : Shell.run("ip", "-o", "link", "show").split("\n")) {
        String[] f = line.split(": ");
        if (f.length > 1) {
          String name = f[1].split("@")[0];
          if (dead(LabNames.ownerOf(LabNames.LINK, name, 36))) {
            Shell.quietly("ip", "link", "del", name);
          }
        }
      }
      if (Files.isDirectory(LabNames.PIN_ROOT)) {
        try (Stream<Path> runs = Files.list(LabNames.PIN_ROOT)) {
          for (Path run : runs.toList()) {
            if (dead(LabNames.ownerOf(LabNames.RUN_DIR, run.getFileName().toString(), 10))) {
              deleteTree(run);
            }
          }
        }
      }
      for (String line : Files.readAllLines(Path.of("/proc/self/mounts"))) {
        String[] f = line.split(" ");
        if (f.length > 1 && dead(LabNames.ownerOf(LabNames.NETNS, f[0], 10))) {
          Shell.quietly("umount", "-l", f[1]);
        }
      }
    } catch (IOException e) {
      System.err.println("chaos: could not look for leftovers of earlier runs: " + e.getMessage());
    }
  }

  /** Unmounts the data disks of a run whose cluster could not be built. */
  static void unmountDataDisks(LabNames names) {
    try {
      for (String line : Files.readAllLines(Path.of("/proc/self/mounts"))) {
        String[] f = line.split(" ");
        if (f.length > 1 && f[0].startsWith(names.netns(""))) {
          Shell.quietly("umount", "-l", f[1]);
        }
      }
    } catch (IOException e) {
      System.err.println("chaos: could not unmount the data disks: " + e.getMessage());
    }
  }

  private static boolean dead(long pid) {
    return pid > 0 && ProcessHandle.of(pid).map(p -> !p.isAlive()).orElse(true);
  }

  /** Deletes what a directory holds, not the directory itself (a mount point). */
  static void deleteContents(Path dir) throws IOException {
    try (Stream<Path> s = Files.list(dir)) {
      for (Path p : s.toList()) {
        deleteTree(p);
      }
    }
  }

  /** Deletes a directory tree; on bpffs deleting a pin unpins the map. */
  public static void deleteTree(Path root) throws IOException {
    if (!Files.exists(root)) {
      return;
    }
    try (Stream<Path> s = Files.walk(root)) {
      for (Path p : s.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    }
  }
}
