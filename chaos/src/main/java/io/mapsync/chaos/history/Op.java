package io.mapsync.chaos.history;

/**
 * One operation as the traffic saw it: who did it, to which key, with which value, when it was
 * invoked and when it returned, and how it ended. Values are unique per operation (they carry
 * {@link #id}), so a value found later in a map or the store names the operation that wrote it.
 *
 * @param id unique, increasing in invocation order
 * @param source "client@n2" (a put through n2's etcd API) or "map@n3" (a bpf() write into n3's map)
 * @param kind put or delete
 * @param key the raw map key
 * @param value the value written (null for a delete)
 * @param invokedMs when it was sent, in ms since the run started
 * @param completedMs when its answer came (or the client gave up), in ms since the run started
 * @param outcome how it ended
 * @param revision the store revision a client operation was acknowledged at (0 if none)
 * @param error why it failed or is unknown (empty if acknowledged)
 */
public record Op(
    long id,
    String source,
    Kind kind,
    Key key,
    Value value,
    long invokedMs,
    long completedMs,
    Outcome outcome,
    long revision,
    String error) {

  /** What the operation does to the key. */
  public enum Kind {
    PUT,
    DELETE
  }

  /** How an operation ended, as far as its client can tell. */
  public enum Outcome {
    /** Acknowledged by the store: it happened, at {@link Op#revision}. */
    OK,
    /** The client got no answer or an error: it may or may not have happened, at any later time. */
    UNKNOWN,
    /**
     * A bpf() write the kernel accepted into one agent's map; replication is not acknowledged to
     * it.
     */
    WRITTEN,
    /** A bpf() write the kernel refused: it did not happen. */
    REFUSED
  }

  public boolean acknowledged() {
    return outcome == Outcome.OK;
  }

  /** The value this operation leaves (null: the key is absent). */
  public Value result() {
    return kind == Kind.PUT ? value : null;
  }

  @Override
  public String toString() {
    String what = kind == Kind.PUT ? "put " + key + "=" + value : "delete " + key;
    return String.format(
        "#%d %s %s [%d..%d ms] %s%s%s",
        id,
        source,
        what,
        invokedMs,
        completedMs,
        outcome,
        revision > 0 ? " rev " + revision : "",
        error.isEmpty() ? "" : " (" + error + ")");
  }
}
