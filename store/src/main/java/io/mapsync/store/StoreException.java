package io.mapsync.store;

/** A store operation that failed, with a typed reason the caller can act on. */
public class StoreException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  /** Why an operation failed; each reason implies what the caller should do next. */
  public enum Reason {
    /** No leader is known right now: retry later. */
    NO_LEADER,
    /** The operation did not finish in time; it may or may not have been applied. */
    TIMEOUT,
    /** The store refused the request itself (bad entry, conflicting spec): do not retry. */
    REJECTED,
    /** The requested revision is older than the history the store keeps: resync from a snapshot. */
    COMPACTED,
    /** The requested revision is newer than the store has reached. */
    FUTURE_REVISION,
    /** The store cannot be reached (network, peer down). */
    UNAVAILABLE,
    /** The store was closed. */
    CLOSED,
    /**
     * This member's own storage failed (disk full, I/O error): it stops taking part. Fix the disk
     * and restart it; what was committed before is on its disk and on the other members.
     */
    STORAGE
  }

  private final Reason reason;

  public StoreException(Reason reason, String message) {
    super(message);
    this.reason = reason;
  }

  public StoreException(Reason reason, String message, Throwable cause) {
    super(message, cause);
    this.reason = reason;
  }

  public Reason reason() {
    return reason;
  }

  /** True if the same request may succeed when sent again. */
  public boolean retriable() {
    return reason == Reason.NO_LEADER || reason == Reason.TIMEOUT || reason == Reason.UNAVAILABLE;
  }

  @Override
  public String getMessage() {
    return reason + ": " + super.getMessage();
  }
}
