package io.mapsync.lab;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The classpath and JVM flags agent processes start with. The agent needs this process's classpath
 * minus the chaos module's own classes (whose scenarios and checks are no part of an agent). Agent
 * JVMs start often (every restart is one) on a machine the lab shares, so they use an AppCDS
 * archive of the agent's classes when there is one: one agent per test JVM writes it when it exits
 * cleanly, later starts load classes from it (about a third faster). The archive is named by the
 * classpath's content, so a rebuild makes a new one; a JVM that cannot use it just starts without
 * it.
 */
public final class AgentClasspath {
  private static final AtomicBoolean DUMPER_CHOSEN = new AtomicBoolean();

  /**
   * @param flags JVM flags to add
   * @param written where the JVM writes a new archive at exit (null if it does not), to be moved to
   *     {@code archive} once it exited cleanly
   */
  public record Sharing(List<String> flags, Path written, Path archive) {
    /** After the JVM exited: publishes a complete archive, drops a partial one. */
    public void publish(boolean cleanExit) {
      if (written == null) {
        return;
      }
      try {
        if (cleanExit && Files.size(written) > 0) {
          Files.move(
              written,
              archive,
              StandardCopyOption.ATOMIC_MOVE,
              StandardCopyOption.REPLACE_EXISTING);
        } else {
          Files.deleteIfExists(written);
        }
      } catch (IOException e) {
        // no archive this time; the next test JVM tries again
      }
    }
  }

  private AgentClasspath() {}

  public static String classpath() {
    List<String> keep = new ArrayList<>();
    for (String entry : System.getProperty("java.class.path").split(File.pathSeparator)) {
      Path p = Path.of(entry);
      // the chaos module's own classes (or test classes) are no part of the agent
      if (!(Files.isDirectory(p) && Files.isDirectory(p.resolve("io/mapsync/chaos")))) {
        // absolute: `java -jar agent/target/mapsync.jar chaos ...` gives a relative one
        keep.add(p.toAbsolutePath().toString());
      }
    }
    return String.join(File.pathSeparator, keep);
  }

  /** Use the archive if it exists; else let the first agent of this JVM write it at exit. */
  public static Sharing sharing(Path archiveDir) {
    String cp = classpath();
    boolean onlyJars =
        Arrays.stream(cp.split(File.pathSeparator)).allMatch(e -> e.endsWith(".jar"));
    if (!onlyJars) {
      return new Sharing(List.of(), null, null); // AppCDS archives classes from jars only
    }
    Path archive = archiveDir.resolve("agent-" + Integer.toHexString(fingerprint(cp)) + ".jsa");
    // the JVM would otherwise print a line for every class it cannot archive
    List<String> flags = new ArrayList<>(List.of("-Xlog:cds=off", "-Xlog:cds+dynamic=off"));
    if (Files.isRegularFile(archive)) {
      flags.add("-XX:SharedArchiveFile=" + archive);
      return new Sharing(flags, null, archive);
    }
    if (!DUMPER_CHOSEN.compareAndSet(false, true)) {
      return new Sharing(List.of(), null, null);
    }
    try {
      Files.createDirectories(archiveDir);
    } catch (IOException e) {
      return new Sharing(List.of(), null, null);
    }
    Path written =
        archiveDir.resolve(archive.getFileName() + "." + ProcessHandle.current().pid() + ".tmp");
    flags.add("-XX:ArchiveClassesAtExit=" + written);
    return new Sharing(flags, written, archive);
  }

  private static int fingerprint(String cp) {
    int h = cp.hashCode();
    for (String entry : cp.split(File.pathSeparator)) {
      File f = new File(entry);
      h = 31 * h + Long.hashCode(f.lastModified()) + 17 * Long.hashCode(f.length());
    }
    return h;
  }
}
