package io.mapsync.chaos.cluster;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * What a member's Ratis storage shows about how it got its state: the first index its log holds and
 * the snapshots it has. A member that rejoined empty and whose log starts past index 0 next to a
 * snapshot received that snapshot from the leader: the entries before it were never sent as log.
 *
 * @param firstLogIndex the lowest index of any log segment, or -1 if there is none
 * @param snapshotIndexes indexes of the snapshot files in the state-machine directory
 */
public record RaftFiles(long firstLogIndex, List<Long> snapshotIndexes) {
  private static final Pattern CLOSED = Pattern.compile("log_(\\d+)-(\\d+)");
  private static final Pattern OPEN = Pattern.compile("log_inprogress_(\\d+)");
  private static final Pattern SNAPSHOT = Pattern.compile("snapshot\\.(\\d+)_(\\d+)");

  public static RaftFiles of(Path dataDir) throws IOException {
    long first = -1;
    List<Long> snapshots = new ArrayList<>();
    Path ratis = dataDir.resolve("ratis");
    if (!Files.isDirectory(ratis)) {
      return new RaftFiles(first, snapshots);
    }
    try (Stream<Path> files = Files.walk(ratis)) {
      for (Path p : files.toList()) {
        String name = p.getFileName().toString();
        Matcher m;
        if ((m = CLOSED.matcher(name)).matches() || (m = OPEN.matcher(name)).matches()) {
          long start = Long.parseLong(m.group(1));
          first = first < 0 ? start : Math.min(first, start);
        } else if ((m = SNAPSHOT.matcher(name)).matches()) {
          snapshots.add(Long.parseLong(m.group(2)));
        }
      }
    }
    snapshots.sort(null);
    return new RaftFiles(first, List.copyOf(snapshots));
  }

  /** True if the state came from a snapshot rather than from a log replayed from the start. */
  public boolean installedSnapshot() {
    return firstLogIndex > 0
        && !snapshotIndexes.isEmpty()
        && snapshotIndexes.get(0) >= firstLogIndex - 1;
  }

  @Override
  public String toString() {
    return "first log index " + firstLogIndex + ", snapshots at " + snapshotIndexes;
  }
}
