package io.mapsync.raft.etcdapi;

import java.util.concurrent.CompletableFuture;

/**
 * Reads the auth records: checks on every call read this member's replica (as every etcd member
 * checks against its own applied auth store), remembered until the replica's revision moves;
 * changes read through the store first, so a change made on another member is seen.
 */
final class AuthStore {
  private final ClusterCalls calls;
  private volatile Cached cached = new Cached(-1, AuthRecords.NONE);

  private record Cached(long revision, AuthRecords records) {}

  AuthStore(ClusterCalls calls) {
    this.calls = calls;
  }

  /** The records as this member's replica has them now. */
  AuthRecords local() {
    long revision = calls.local().revision();
    Cached c = cached;
    if (c.revision() != revision) {
      c = new Cached(revision, AuthRecords.parse(calls.local().range(AuthRecords.range())));
      cached = c;
    }
    return c.records();
  }

  /** The records as the cluster has them (a linearizable read). */
  CompletableFuture<AuthRecords> latest() {
    return calls.cluster().store().range(AuthRecords.range()).thenApply(AuthRecords::parse);
  }
}
