package io.mapsync.raft.etcdapi;

import io.etcd.jetcd.api.ResponseHeader;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Builds the header every etcd response carries. The raft term is a cached value (refreshed from
 * the cluster status in the background and by every Status call) because asking the cluster on each
 * request would cost a round trip; it never goes backwards.
 */
final class ResponseHeaders {
  private final long clusterId;
  private final long memberId;
  private final AtomicLong term = new AtomicLong();

  ResponseHeaders(long clusterId, long memberId) {
    this.clusterId = clusterId;
    this.memberId = memberId;
  }

  /** Records a term seen in a cluster status. */
  void observeTerm(long seen) {
    term.accumulateAndGet(seen, Math::max);
  }

  long term() {
    return term.get();
  }

  long memberId() {
    return memberId;
  }

  long clusterId() {
    return clusterId;
  }

  /** A header stating that the store was at this revision when the response was made. */
  ResponseHeader at(long revision) {
    return ResponseHeader.newBuilder()
        .setClusterId(clusterId)
        .setMemberId(memberId)
        .setRevision(revision)
        .setRaftTerm(term.get())
        .build();
  }
}
