package io.mapsync.agent.node;

import com.google.protobuf.ByteString;
import io.mapsync.agent.sync.CapturedChange;
import io.mapsync.agent.sync.SyncLoop;
import io.mapsync.bpf.capture.ChangeSink;
import io.mapsync.bpf.capture.MapChange;
import io.mapsync.bpf.capture.Tier;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Feeds captured kernel changes into the sync loop of each map's group, naming each map by its
 * replicated name. A delete that only a scan saw, on an LRU map, may be an eviction: it is flagged
 * so the map's lru_eviction setting decides whether it is replicated.
 */
final class CaptureBridge implements ChangeSink {
  private static final Logger LOG = LoggerFactory.getLogger(CaptureBridge.class);

  private final java.util.function.Function<String, SyncLoop> loops;
  private final io.mapsync.agent.metrics.AgentMetrics metrics;
  private final Map<Integer, KernelMap> byId = new ConcurrentHashMap<>();

  /** Changes captured while bootstrap runs; handed to the loop, in order, once it is done. */
  private final java.util.List<io.mapsync.agent.sync.CapturedChange> held =
      new java.util.ArrayList<>();

  private boolean released;

  /**
   * @param loops the sync loop of a map (by replicated name): its group's
   */
  CaptureBridge(
      java.util.function.Function<String, SyncLoop> loops,
      io.mapsync.agent.metrics.AgentMetrics metrics) {
    this.loops = loops;
    this.metrics = metrics;
  }

  void watch(KernelMap map) {
    byId.put(map.bpfMap().id(), map);
  }

  @Override
  public void onChange(MapChange change) {
    KernelMap map = byId.get(change.mapId());
    if (map == null) {
      return;
    }
    boolean lru = map.isLru();
    boolean delete = change.op() == MapChange.Op.DELETE;
    boolean maybeEviction = delete && lru && change.tier() == Tier.SCAN;
    deliver(
        new CapturedChange(
            map.name(),
            ByteString.copyFrom(change.key()),
            delete ? null : ByteString.copyFrom(change.value()),
            change.timestampNs(),
            maybeEviction));
  }

  private synchronized void deliver(CapturedChange change) {
    if (released) {
      loops.apply(change.map()).onCaptured(change);
    } else {
      held.add(change);
    }
  }

  /**
   * Bootstrap is done: the changes the network function made meanwhile go to the loop now. Their
   * kernel timestamps let the loop see which of them bootstrap overwrote, and write those back once
   * committed.
   */
  synchronized int release() {
    int n = held.size();
    held.forEach(c -> loops.apply(c.map()).onCaptured(c));
    held.clear();
    released = true;
    return n;
  }

  @Override
  public void onResync(int mapId, String reason) {
    KernelMap map = byId.get(mapId);
    LOG.warn(
        "capture lost records of map '{}' ({}); rescanning it",
        map == null ? mapId : map.name(),
        reason);
    metrics.captureResync(map == null ? String.valueOf(mapId) : map.name());
  }
}
