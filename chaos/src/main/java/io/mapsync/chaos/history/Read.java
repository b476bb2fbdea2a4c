package io.mapsync.chaos.history;

/**
 * One get of a client key through a member's etcd API, as the client saw it. A read changes
 * nothing, so one that failed is simply no evidence; one that answered says what the key held.
 *
 * @param id unique, from the same sequence as the writes' ids
 * @param source "reader@n2": the member whose etcd API answered
 * @param linearizable a linearizable get (a read barrier through the leader) or a serializable one
 *     (this member's replica as it is)
 * @param value what it returned (null: absent)
 * @param invokedMs when it was sent, in ms since the run started
 * @param completedMs when its answer came (or the client gave up)
 * @param ok whether it answered; if not, {@code error} says why
 * @param revision the store revision of the answer (its header)
 * @param modRevision the revision that last wrote the value read (0 if absent)
 */
public record Read(
    long id,
    String source,
    boolean linearizable,
    Key key,
    Value value,
    long invokedMs,
    long completedMs,
    boolean ok,
    long revision,
    long modRevision,
    String error) {

  @Override
  public String toString() {
    String what = (linearizable ? "get " : "serializable get ") + key;
    String got =
        !ok
            ? "FAILED (" + error + ")"
            : "-> "
                + (value == null ? "absent" : value + " mod_rev " + modRevision)
                + " at rev "
                + revision;
    return String.format("#%d %s %s [%d..%d ms] %s", id, source, what, invokedMs, completedMs, got);
  }
}
