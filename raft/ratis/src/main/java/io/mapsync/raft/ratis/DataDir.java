package io.mapsync.raft.ratis;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.List;
import java.util.Properties;
import java.util.stream.Stream;

/**
 * A member's data directory and the marker file that says whose it is. A directory that belongs to
 * another member or cluster, holds something else, or lost its Raft log is refused with a message
 * naming it and saying what to do; it is never reset silently.
 *
 * <pre>
 * dataDir/
 *   mapsync-node.properties       marker: format, cluster, group, node, state
 *   ratis/&lt;group-uuid&gt;/current/   Raft log segments, raft-meta (term, vote), raft-meta.conf
 *   ratis/&lt;group-uuid&gt;/sm/        snapshot.&lt;term&gt;_&lt;index&gt; and its .md5
 *   removed-groups/               where Ratis moves a group's directory if the group is removed
 * </pre>
 */
final class DataDir {
  static final String MARKER = "mapsync-node.properties";
  private static final String FORMAT = "1";
  private static final String CREATED = "created";
  private static final String INITIALIZED = "initialized";

  private final Path root;
  private final String groupUuid;
  private final Properties marker;

  private DataDir(Path root, String groupUuid, Properties marker) {
    this.root = root;
    this.groupUuid = groupUuid;
    this.marker = marker;
  }

  /**
   * Checks (or claims, when empty) the directory for this member; throws {@link DataDirException}
   * if refused.
   */
  static DataDir open(Path root, String cluster, String groupUuid, String nodeId)
      throws IOException {
    root = root.toAbsolutePath();
    if (Files.exists(root) && !Files.isDirectory(root)) {
      throw new DataDirException(
          root + " is a file, not a data directory; point the data directory elsewhere");
    }
    Path markerFile = root.resolve(MARKER);
    if (!Files.exists(markerFile)) {
      List<String> present = list(root);
      if (!present.isEmpty()) {
        throw new DataDirException(
            "data directory "
                + root
                + " is not empty ("
                + String.join(", ", present)
                + ") but has no "
                + MARKER
                + ": it is not a mapsync member's directory, or its marker was deleted."
                + " Use an empty directory for a new member; if this is a member's damaged directory, move it away"
                + " and let the member rejoin (it receives a snapshot)");
      }
      Properties fresh = new Properties();
      fresh.setProperty("format", FORMAT);
      fresh.setProperty("cluster", cluster);
      fresh.setProperty("group", groupUuid);
      fresh.setProperty("node", nodeId);
      fresh.setProperty("state", CREATED);
      fresh.setProperty("created", Instant.now().toString());
      DataDir dir = new DataDir(root, groupUuid, fresh);
      dir.writeMarker();
      return dir;
    }
    Properties p = readMarker(markerFile);
    String problem = mismatch(p, cluster, groupUuid, nodeId);
    if (problem != null) {
      throw new DataDirException("data directory " + root + " " + problem);
    }
    DataDir dir = new DataDir(root, groupUuid, p);
    if (INITIALIZED.equals(p.getProperty("state")) && !Files.isDirectory(dir.groupDir())) {
      throw new DataDirException(
          "data directory "
              + root
              + " belongs to "
              + nodeId
              + " but its Raft log "
              + dir.groupDir()
              + " is missing: the directory was partly deleted. Restore it, or empty the whole"
              + " directory and let the member rejoin (it receives a snapshot)");
    }
    return dir;
  }

  private static String mismatch(Properties p, String cluster, String group, String node) {
    if (!FORMAT.equals(p.getProperty("format"))) {
      return "has marker format '"
          + p.getProperty("format")
          + "'; this build reads format "
          + FORMAT;
    }
    if (!group.equals(p.getProperty("group"))) {
      return "belongs to cluster '"
          + p.getProperty("cluster")
          + "' (group "
          + p.getProperty("group")
          + "), not '"
          + cluster
          + "' (group "
          + group
          + "): start that cluster's member with it, or use another"
          + " directory";
    }
    if (!node.equals(p.getProperty("node"))) {
      return "belongs to member "
          + p.getProperty("node")
          + ", not "
          + node
          + ": each member needs its own directory; never copy one member's directory to another";
    }
    return null;
  }

  private static Properties readMarker(Path markerFile) throws IOException {
    Properties p = new Properties();
    try (InputStream in = Files.newInputStream(markerFile)) {
      p.load(in);
    } catch (IllegalArgumentException e) {
      throw new DataDirException(
          "marker "
              + markerFile
              + " is damaged ("
              + e.getMessage()
              + "); restore it or move"
              + " the directory away and let the member rejoin");
    }
    for (String field : List.of("format", "cluster", "group", "node", "state")) {
      if (p.getProperty(field) == null) {
        throw new DataDirException(
            "marker "
                + markerFile
                + " is damaged: it has no '"
                + field
                + "'; restore it or"
                + " move the directory away and let the member rejoin");
      }
    }
    return p;
  }

  private static List<String> list(Path root) throws IOException {
    try (Stream<Path> s = Files.list(root)) {
      return s.map(p -> p.getFileName().toString()).sorted().toList();
    } catch (NoSuchFileException e) {
      return List.of();
    }
  }

  /** Records that Ratis has created its storage here, so a later loss of it is detected. */
  void markInitialized() throws IOException {
    if (!INITIALIZED.equals(marker.getProperty("state"))) {
      marker.setProperty("state", INITIALIZED);
      writeMarker();
    }
  }

  /** Writes the marker atomically (temp file, fsync, rename, fsync of the directory). */
  private void writeMarker() throws IOException {
    Files.createDirectories(root);
    Path tmp = root.resolve(MARKER + ".tmp");
    try (OutputStream out = Files.newOutputStream(tmp)) {
      marker.store(out, "mapsync member data directory: do not edit, never copy to another member");
    }
    try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE)) {
      ch.force(true);
    }
    Files.move(
        tmp,
        root.resolve(MARKER),
        StandardCopyOption.ATOMIC_MOVE,
        StandardCopyOption.REPLACE_EXISTING);
    try (FileChannel dirChannel = FileChannel.open(root, StandardOpenOption.READ)) {
      dirChannel.force(true);
    }
  }

  Path root() {
    return root;
  }

  Path ratisDir() {
    return root.resolve("ratis");
  }

  Path groupDir() {
    return ratisDir().resolve(groupUuid);
  }

  Path removedGroupsDir() {
    return root.resolve("removed-groups");
  }

  /** The data directory cannot be used; the message names it and says what to do. */
  static final class DataDirException extends IOException {
    private static final long serialVersionUID = 1L;

    DataDirException(String message) {
      super(message);
    }
  }
}
