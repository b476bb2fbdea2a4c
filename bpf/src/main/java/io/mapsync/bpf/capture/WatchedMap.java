package io.mapsync.bpf.capture;

import io.mapsync.bpf.BpfMap;
import io.mapsync.bpf.BpfMapInfo;
import java.time.Duration;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.Set;

/**
 * One map under capture: the session's own handle, its active tiers, its shadow and counters. The
 * object's monitor guards the shadow, the dirty set and the kernel writes the agent applies, so a
 * scan's diff and an apply never interleave.
 */
final class WatchedMap {
  final BpfMap map;
  final BpfMapInfo info;
  final Set<Tier> tiers;
  final long scanIntervalNanos;
  final ShadowTable shadow;

  /** Keys reported or applied while a scan is in progress: that scan leaves them alone. */
  final Set<ByteKey> dirty = new HashSet<>();

  /** When the baseline dump began; records of earlier writes are covered by it and dropped. */
  volatile long baselineStartNanos = Long.MAX_VALUE;

  /** Set once the baseline is in the shadow; periodic scans wait for it. */
  volatile boolean ready;

  boolean scanning;
  int epoch;
  long nextScanNanos;
  String rescanReason;
  long dropsSeen;

  volatile long captured;
  volatile long scans;
  volatile long rescans;
  volatile long lastScanNanos;
  volatile long lastScanCpuNanos;
  volatile long lastScanEntries;

  WatchedMap(BpfMap map, Set<Tier> tiers, Duration scanInterval) {
    this.map = map;
    this.info = map.info();
    this.tiers = EnumSet.copyOf(tiers);
    this.scanIntervalNanos = scanInterval.toNanos();
    this.shadow = new ShadowTable(info.keySize(), info.userValueSize());
  }

  int id() {
    return info.id();
  }

  boolean has(Tier tier) {
    return tiers.contains(tier);
  }

  /** Called with the monitor held, after the shadow took a reported or applied key. */
  void touched(byte[] key) {
    if (scanning) {
      dirty.add(new ByteKey(key));
    }
  }
}
