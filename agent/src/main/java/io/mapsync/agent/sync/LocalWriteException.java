package io.mapsync.agent.sync;

/**
 * A local map refused a write (full, wrong size, gone). The delta is skipped; nothing else stops.
 */
public class LocalWriteException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  /** Why the write failed, for metrics. */
  public enum Kind {
    MAP_FULL,
    SIZE,
    GONE,
    OTHER
  }

  private final Kind kind;

  public LocalWriteException(Kind kind, String message, Throwable cause) {
    super(message, cause);
    this.kind = kind;
  }

  public Kind kind() {
    return kind;
  }
}
