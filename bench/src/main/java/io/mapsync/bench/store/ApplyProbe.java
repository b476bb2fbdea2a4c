package io.mapsync.bench.store;

import io.mapsync.raft.ratis.RatisNode;
import io.mapsync.store.Event;
import io.mapsync.store.RevisionEvents;
import io.mapsync.store.Watch;
import io.mapsync.store.WatchListener;
import io.mapsync.store.WatchRequest;
import io.mapsync.store.state.KeyLayout;

/**
 * Measures follower-apply latency: a watch on one member's local replica (what the agent on that
 * host sees) notes, for every delta, how long after its scheduled send time it arrived. The bench
 * writes its scheduled send time (System.nanoTime) into each delta's captured_unix_nanos field; all
 * members run in this process, so the clock is shared.
 */
final class ApplyProbe implements WatchListener, AutoCloseable {
  private final RatisNode member;
  private final String map;
  private volatile Watch watch;
  private volatile Latencies sink;
  private volatile boolean closed;

  ApplyProbe(RatisNode member, String map) {
    this.member = member;
    this.map = map;
    this.watch = member.localState().watch(WatchRequest.prefix(KeyLayout.mapPrefix(map), 0), this);
  }

  /** Starts recording into the given samples (null stops recording). */
  void recordInto(Latencies samples) {
    this.sink = samples;
  }

  @Override
  public void onRevision(RevisionEvents events) {
    Latencies s = sink;
    if (s == null) {
      return;
    }
    long now = System.nanoTime();
    for (Event e : events.events()) {
      s.record(now - e.kv().getCapturedUnixNanos());
    }
  }

  /** Fell behind the member's history (only under extreme load): watch again from now on. */
  @Override
  public void onCompacted(long compactRevision) {
    if (!closed) {
      watch = member.localState().watch(WatchRequest.prefix(KeyLayout.mapPrefix(map), 0), this);
    }
  }

  @Override
  public void close() {
    closed = true;
    watch.close();
  }
}
