package io.mapsync.raft.ratis;

import java.io.IOException;
import java.net.BindException;
import org.apache.ratis.protocol.exceptions.ChecksumException;

/**
 * Turns a failed start into one message that names the directory or address at fault and says what
 * to do.
 */
final class StartFailure {
  private StartFailure() {}

  static IOException explain(RatisConfig config, Throwable failure) {
    if (failure instanceof DataDir.DataDirException refused) {
      return refused;
    }
    String member = "member " + config.nodeId();
    for (Throwable t = failure; t != null; t = t.getCause()) {
      if (t instanceof BindException) {
        return new IOException(
            member
                + " cannot listen on "
                + config.address()
                + " ("
                + t.getMessage()
                + "): another process or member uses that port; free it or configure another",
            failure);
      }
      if (t instanceof ChecksumException) {
        return new IOException(
            member
                + ": the Raft log in "
                + config.dataDir().toAbsolutePath()
                + " is damaged ("
                + t.getMessage()
                + "). Move the directory away and start the member with an empty"
                + " one: it rejoins and receives a snapshot (remove and re-add it first if it was a voter)",
            failure);
      }
      if (t.getMessage() != null && t.getMessage().contains("already locked")) {
        return new IOException(
            member
                + ": data directory "
                + config.dataDir().toAbsolutePath()
                + " is in use by another process; stop it, or give each member its own directory",
            failure);
      }
    }
    // Our own message (it names the file) if there is one, else the deepest cause's.
    Throwable root = failure;
    while (root.getCause() != null
        && root.getCause() != root
        && !(root instanceof ReplicaSnapshots.DamagedSnapshotException)) {
      root = root.getCause();
    }
    return new IOException(
        member
            + " cannot start from data directory "
            + config.dataDir().toAbsolutePath()
            + ": "
            + root.getClass().getSimpleName()
            + ": "
            + root.getMessage()
            + ". If the directory is damaged, move it away"
            + " and start the member with an empty directory: it rejoins and receives a snapshot (remove and re-add it"
            + " first if it was a voter)",
        failure);
  }
}
