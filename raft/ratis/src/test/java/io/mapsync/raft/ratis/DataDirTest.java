package io.mapsync.raft.ratis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A data directory that is not this member's, or is damaged, is refused with a message saying which
 * and what to do.
 */
class DataDirTest {
  @TempDir Path tmp;

  private RatisConfig config(String id, Path dir, String cluster) {
    return RatisConfig.builder(id)
        .peer(id, "127.0.0.1:" + LocalCluster.freePort())
        .dataDir(dir)
        .clusterName(cluster)
        .set("raft.server.snapshot.auto.trigger.threshold", "20")
        .build();
  }

  /** Starts a one-member cluster in the directory, writes some entries, and stops it. */
  private RatisConfig used(Path dir) throws Exception {
    RatisConfig c = config("n1", dir, "mapsync");
    try (RatisNode n = RatisNode.start(c)) {
      n.awaitLeader(Duration.ofSeconds(30));
      Replicas.registerMap(n.store());
      Replicas.write(n.store(), 0, 50, 1);
    }
    return c;
  }

  private static String refusal(RatisConfig c) {
    IOException e = assertThrows(IOException.class, () -> RatisNode.start(c).close());
    System.out.println("refused: " + e.getMessage());
    return e.getMessage();
  }

  @Test
  void aDirectoryHoldingSomethingElseIsRefused() throws Exception {
    Path dir = tmp.resolve("other");
    Files.createDirectories(dir);
    Files.writeString(dir.resolve("notes.txt"), "not a member");
    String message = refusal(config("n1", dir, "mapsync"));
    assertTrue(
        message.contains(dir.toString())
            && message.contains("notes.txt")
            && message.contains("Use an empty directory"),
        message);
    assertEquals(1, Files.list(dir).count(), "the directory was changed");
  }

  @Test
  void anotherMembersOrClustersDirectoryIsRefused() throws Exception {
    Path dir = tmp.resolve("n1");
    used(dir);
    String otherMember = refusal(config("n2", dir, "mapsync"));
    assertTrue(
        otherMember.contains(dir.toString())
            && otherMember.contains("belongs to member n1, not n2"),
        otherMember);
    String otherCluster = refusal(config("n1", dir, "lab"));
    assertTrue(
        otherCluster.contains("belongs to cluster 'mapsync'") && otherCluster.contains("not 'lab'"),
        otherCluster);
  }

  @Test
  void aDamagedMarkerOrAMissingRaftLogIsRefused() throws Exception {
    Path dir = tmp.resolve("n1");
    RatisConfig c = used(dir);
    Path marker = dir.resolve(DataDir.MARKER);
    String original = Files.readString(marker);

    Files.writeString(marker, "format=1\n");
    String damaged = refusal(c);
    assertTrue(damaged.contains(marker.toString()) && damaged.contains("damaged"), damaged);

    Files.writeString(marker, original);
    deleteTree(dir.resolve("ratis"));
    String lost = refusal(c);
    assertTrue(
        lost.contains(dir.toString()) && lost.contains("Raft log") && lost.contains("missing"),
        lost);
  }

  @Test
  void aCorruptLogSegmentIsRefusedNotTruncated() throws Exception {
    Path dir = tmp.resolve("n1");
    RatisConfig c =
        config("n1", dir, "mapsync")
            .withSettings(
                Map.of(
                    "raft.server.snapshot.trigger-when-stop.enabled",
                    "false",
                    "raft.server.snapshot.auto.trigger.enabled",
                    "false",
                    "raft.server.log.segment.size.max",
                    "2KB",
                    "raft.server.log.preallocated.size",
                    "1KB"));
    try (RatisNode n = RatisNode.start(c)) {
      n.awaitLeader(Duration.ofSeconds(30));
      Replicas.registerMap(n.store());
      Replicas.write(n.store(), 0, 50, 1);
    }
    Path segment = find(dir, "log_0-").orElseThrow();
    long before = Files.size(segment);
    try (RandomAccessFile f = new RandomAccessFile(segment.toFile(), "rw")) {
      f.seek(before / 2);
      f.write(new byte[] {0x55, 0x55, 0x55, 0x55, 0x55, 0x55, 0x55, 0x55});
    }
    String message = refusal(c);
    assertTrue(
        message.contains(dir.toString())
            && message.contains("Raft log")
            && message.contains("damaged"),
        message);
    assertEquals(before, Files.size(segment), "the damaged segment was truncated");
  }

  @Test
  void aCorruptSnapshotIsRefused() throws Exception {
    Path dir = tmp.resolve("n1");
    RatisConfig c = used(dir);
    Path snapshot = find(dir, "snapshot.").orElseThrow();
    try (RandomAccessFile f = new RandomAccessFile(snapshot.toFile(), "rw")) {
      f.seek(f.length() / 2);
      f.write(0x7f ^ f.readByte());
    }
    String message = refusal(c);
    assertTrue(message.contains(dir.toString()) && message.toLowerCase().contains("md5"), message);
  }

  @Test
  void aDirectoryInUseIsRefused() throws Exception {
    Path dir = tmp.resolve("n1");
    RatisConfig c = used(dir);
    try (RatisNode running = RatisNode.start(c)) {
      RatisConfig sameDirOtherPort =
          RatisConfig.builder("n1")
              .peer("n1", "127.0.0.1:" + LocalCluster.freePort())
              .dataDir(dir)
              .build();
      String message = refusal(sameDirOtherPort);
      assertTrue(message.contains(dir.toString()) && message.contains("in use"), message);
    }
  }

  private static java.util.Optional<Path> find(Path dir, String prefix) throws IOException {
    try (Stream<Path> s = Files.walk(dir)) {
      return s.filter(
              p -> p.getFileName().toString().startsWith(prefix) && !p.toString().endsWith(".md5"))
          .findFirst();
    }
  }

  private static void deleteTree(Path dir) throws IOException {
    try (Stream<Path> s = Files.walk(dir)) {
      for (Path p : s.sorted(Comparator.reverseOrder()).toList()) {
        Files.delete(p);
      }
    }
  }
}
