package io.mapsync.raft.ratis;

import io.mapsync.store.StoreException;
import java.io.File;
import java.util.Locale;

/** Words a failure of this member's own disk for the operator: which directory, why, what to do. */
final class StorageFailure {
  private StorageFailure() {}

  /**
   * @param groupDir Ratis's storage directory, {@code <data_dir>/ratis/<group-uuid>}; the message
   *     names the data dir, the one the operator configured
   */
  static StoreException of(File groupDir, String what, Throwable cause) {
    File dataDir =
        groupDir.getParentFile() == null || groupDir.getParentFile().getParentFile() == null
            ? groupDir
            : groupDir.getParentFile().getParentFile();
    String detail = cause.getMessage() == null ? cause.toString() : cause.getMessage();
    String message =
        isNoSpace(cause)
            ? "data dir "
                + dataDir
                + ": no space left on device while "
                + what
                + "; this member stopped so that"
                + " nothing half-written is used. Free space on that file system (or move the data dir to a larger one)"
                + " and start the agent again: it resumes from its log and snapshot, nothing committed is lost"
            : "data dir "
                + dataDir
                + ": I/O error while "
                + what
                + " ("
                + detail
                + "); this member stopped. Fix the"
                + " disk and start the agent again: it resumes from its log and snapshot, nothing committed is lost";
    return new StoreException(StoreException.Reason.STORAGE, message, cause);
  }

  static boolean isNoSpace(Throwable t) {
    for (Throwable c = t; c != null; c = c.getCause()) {
      if (c.getMessage() != null
          && c.getMessage().toLowerCase(Locale.ROOT).contains("no space left")) {
        return true;
      }
    }
    return false;
  }
}
