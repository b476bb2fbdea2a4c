package io.mapsync.bench.sync;

import io.mapsync.bpf.BpfMap;
import io.mapsync.bpf.capture.CaptureSession;
import io.mapsync.bpf.capture.ChangeSink;
import io.mapsync.bpf.capture.MapChange;
import io.mapsync.bpf.capture.Tier;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLongArray;

/**
 * {@link VisibilityProbe} for many agents at once: one capture session on every target map, so the
 * arrival of each sequence number in each agent's map is timed by the kernel, per agent.
 */
final class FanoutProbe implements ChangeSink, AutoCloseable {
  private final CaptureSession session;

  /** Map id to first-arrival time (CLOCK_MONOTONIC ns) per sequence number. */
  private final Map<Integer, AtomicLongArray> arrivals = new LinkedHashMap<>();

  private final Map<String, Integer> mapIdOf = new LinkedHashMap<>();

  /**
   * @param targets agent id to its map (kept open by the caller)
   */
  FanoutProbe(Map<String, BpfMap> targets, int capacity) {
    targets.forEach(
        (agent, map) -> {
          arrivals.put(map.id(), new AtomicLongArray(capacity));
          mapIdOf.put(agent, map.id());
        });
    // No idle spin: arrival times are the kernel's, and a spinning reader would take CPU from the
    // agents.
    this.session = CaptureSession.builder(this).idleSpin(Duration.ZERO).build();
    targets.values().forEach(m -> session.add(m, Tier.SYSCALL));
  }

  @Override
  public void onChange(MapChange change) {
    AtomicLongArray at = arrivals.get(change.mapId());
    if (change.op() != MapChange.Op.PUT || at == null) {
      return;
    }
    long seq = ByteBuffer.wrap(change.value()).order(ByteOrder.LITTLE_ENDIAN).getLong();
    if (seq >= 0 && seq < at.length()) {
      at.compareAndSet((int) seq, 0, change.timestampNs());
    }
  }

  /** When seq became visible in this agent's map (CLOCK_MONOTONIC ns), or 0 if not yet. */
  long visibleAt(String agent, long seq) {
    return arrivals.get(mapIdOf.get(agent)).get((int) seq);
  }

  @Override
  public void close() {
    session.close();
  }
}
