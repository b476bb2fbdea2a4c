package io.mapsync.raft.ratis;

import io.mapsync.store.state.ReplicaState;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import org.apache.ratis.io.MD5Hash;
import org.apache.ratis.server.protocol.TermIndex;
import org.apache.ratis.server.storage.FileInfo;
import org.apache.ratis.server.storage.RaftStorage;
import org.apache.ratis.statemachine.impl.SimpleStateMachineStorage;
import org.apache.ratis.statemachine.impl.SingleFileSnapshotInfo;
import org.apache.ratis.util.MD5FileUtil;

/**
 * The replica's snapshot files in the Ratis state-machine directory: one file per snapshot, named
 * {@code snapshot.<term>_<index>} so Ratis can find, ship and purge behind it, plus the MD5 file
 * Ratis uses when it installs the snapshot on another member. The content is {@link
 * ReplicaState#writeSnapshot}'s format, which carries its own CRC32C.
 */
final class ReplicaSnapshots {
  private static final int BUFFER = 1 << 16;

  private final SimpleStateMachineStorage storage = new SimpleStateMachineStorage();

  void init(RaftStorage raftStorage) throws IOException {
    storage.init(raftStorage);
  }

  SimpleStateMachineStorage storage() {
    return storage;
  }

  /**
   * Writes the state as the snapshot at {@code at}. Written to a temporary file, forced to disk and
   * renamed, so a crash leaves either the whole snapshot or none (a leftover .tmp is ignored).
   */
  void write(ReplicaState state, TermIndex at) throws IOException {
    File file = storage.getSnapshotFile(at.getTerm(), at.getIndex());
    Path tmp = file.toPath().resolveSibling(file.getName() + ".tmp");
    try (FileChannel channel =
        FileChannel.open(
            tmp,
            StandardOpenOption.CREATE,
            StandardOpenOption.WRITE,
            StandardOpenOption.TRUNCATE_EXISTING)) {
      OutputStream out = new BufferedOutputStream(Channels.newOutputStream(channel), BUFFER);
      state.writeSnapshot(out, at.getTerm());
      out.flush();
      channel.force(true);
    }
    Files.move(
        tmp, file.toPath(), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    MD5Hash md5 = MD5FileUtil.computeAndSaveMd5ForFile(file);
    storage.updateLatestSnapshot(new SingleFileSnapshotInfo(new FileInfo(file.toPath(), md5), at));
  }

  /**
   * Replaces the state with the newest snapshot on disk (the directory is scanned again, since an
   * installed snapshot replaces it behind our back).
   *
   * @return the snapshot's term and index, or null if there is none
   */
  TermIndex restoreLatest(ReplicaState state) throws IOException {
    SingleFileSnapshotInfo latest = storage.loadLatestSnapshot();
    if (latest == null) {
      return null;
    }
    File file = latest.getFile().getPath().toFile();
    if (!file.isFile()) {
      throw new DamagedSnapshotException("snapshot " + file + " is listed but missing", null);
    }
    // The MD5 file is Ratis's (it ships it with the snapshot); the content also has its own CRC32C.
    MD5Hash stored = latest.getFile().getFileDigest();
    if (stored != null && !stored.equals(MD5FileUtil.computeMd5ForFile(file))) {
      throw new DamagedSnapshotException(
          "snapshot " + file + " does not match its MD5 file: it is damaged", null);
    }
    long revision;
    try (InputStream in = new BufferedInputStream(Files.newInputStream(file.toPath()), BUFFER)) {
      revision = state.restoreSnapshot(in);
    } catch (IOException e) {
      throw new DamagedSnapshotException(
          "snapshot " + file + " cannot be loaded: " + e.getMessage(), e);
    }
    if (revision != latest.getIndex()) {
      throw new DamagedSnapshotException(
          "snapshot "
              + file
              + " holds revision "
              + revision
              + " but is named for index "
              + latest.getIndex(),
          null);
    }
    return latest.getTermIndex();
  }

  /** A snapshot file that cannot be used; the message names it. */
  static final class DamagedSnapshotException extends IOException {
    private static final long serialVersionUID = 1L;

    DamagedSnapshotException(String message, Throwable cause) {
      super(message, cause);
    }
  }
}
