package io.mapsync.bpf.capture;

import io.mapsync.bpf.BpfMap;
import io.mapsync.bpf.MapEntry;
import io.mapsync.bpf.NotSupportedException;
import io.mapsync.bpf.ProgramStats;
import io.mapsync.bpf.UpdateFlag;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Captures changes to BPF maps and delivers them to a {@link ChangeSink}. Maps are added with a
 * {@link Tier}; the kernel side (tracepoints, fentry, the emit ring) is set up on first need. The
 * agent writes to watched maps only through {@link #apply}, {@link #applyDelete} and {@link
 * #applyBatch}: those writes update the shadow copy and are never reported by any tier.
 */
public final class CaptureSession implements AutoCloseable {
  private final Map<Integer, WatchedMap> maps = new ConcurrentHashMap<>();
  private final CaptureLoop loop;
  private final TierSources sources;
  private final Duration defaultScanInterval;
  private volatile boolean closed;

  private CaptureSession(Builder b) {
    this.defaultScanInterval = b.scanInterval;
    this.loop = new CaptureLoop(maps, b.sink, b.idleSpin.toNanos());
    this.sources =
        new TierSources(
            loop,
            b.ringSize,
            b.inlineMax,
            b.captureOwnProcess ? 0 : (int) ProcessHandle.current().pid(),
            b.emitPinRoot);
    loop.start("mapsync-capture");
  }

  public static Builder builder(ChangeSink sink) {
    return new Builder(sink);
  }

  /**
   * Adds a map with the session's scan interval; returns the tiers actually active (see {@link
   * #tiers}).
   */
  public Set<Tier> add(BpfMap map, Tier tier) {
    return add(map, tier, defaultScanInterval);
  }

  /**
   * Starts capturing a map. The session keeps its own handle, so the caller may close theirs. The
   * current content becomes the baseline: it is not reported.
   *
   * @throws NotSupportedException for map types capture cannot replicate
   */
  public synchronized Set<Tier> add(BpfMap map, Tier tier, Duration scanInterval) {
    checkOpen();
    if (!map.info().type().isCapturable()) {
      throw new NotSupportedException(
          "capture of map "
              + map.info().label()
              + " of type "
              + map.info().type()
              + " is not supported: only hash, LRU hash, array and their per-CPU variants are",
          0);
    }
    if (maps.containsKey(map.id())) {
      throw new IllegalStateException("map " + map.info().label() + " is already captured");
    }
    Set<Tier> tiers = sources.resolve(tier);
    WatchedMap w = new WatchedMap(map.duplicate(), tiers, scanInterval);
    try {
      maps.put(w.id(), w);
      sources.watch(w);
      loop.call(
          () -> {
            w.baselineStartNanos = System.nanoTime();
            Scanner.scan(w, loop::drainAll, null); // baseline, not reported
            w.nextScanNanos = System.nanoTime() + w.scanIntervalNanos;
            w.ready = true;
            return null;
          });
    } catch (RuntimeException e) {
      remove(w.id());
      throw e;
    }
    return Set.copyOf(tiers);
  }

  /** Stops capturing a map. */
  public synchronized void remove(int mapId) {
    if (!maps.containsKey(mapId)) {
      return;
    }
    sources.unwatch(mapId);
    if (closed) {
      forget(mapId);
    } else {
      loop.call(() -> forget(mapId)); // on the capture thread, so no record is being handled for it
    }
  }

  private Void forget(int mapId) {
    WatchedMap w = maps.remove(mapId);
    if (w != null) {
      w.map.close();
    }
    return null;
  }

  /** The tiers capturing a map (AUTO resolved, fallbacks applied); empty when not captured. */
  public Set<Tier> tiers(int mapId) {
    WatchedMap w = maps.get(mapId);
    return w == null ? Set.of() : Set.copyOf(w.tiers);
  }

  /** Counters of a captured map. */
  public CaptureStats stats(int mapId) {
    WatchedMap w = maps.get(mapId);
    if (w == null) {
      throw new IllegalArgumentException("map id " + mapId + " is not captured");
    }
    long dropped = sources.drops(w);
    return new CaptureStats(
        w.captured,
        dropped,
        w.scans,
        w.rescans,
        Duration.ofNanos(w.lastScanNanos),
        Duration.ofNanos(w.lastScanCpuNanos),
        w.lastScanEntries);
  }

  /**
   * The syscall probe's programs (sys_enter plus sys_exit), summed: run time and count while {@link
   * io.mapsync.bpf.RunTimeStats} is enabled, and the runs the kernel skipped. Null before any
   * syscall-tier map.
   */
  public ProgramStats syscallProbeStats() {
    return sources.syscallStats();
  }

  /**
   * Why this process cannot use the fentry tier (e.g. "not permitted: ..."), or null if it can or
   * was never tried.
   */
  public static String fentryRefusal() {
    return FentryProbe.refusal();
  }

  /** Dumps and diffs a map now, reporting what the shadow missed; returns when done. */
  public void rescan(int mapId, String reason) {
    WatchedMap w = maps.get(mapId);
    if (w != null) {
      checkOpen();
      loop.call(
          () -> {
            loop.rescan(w, reason);
            return null;
          });
    }
  }

  /** Writes a key on behalf of the agent: done in the kernel and in the shadow, never reported. */
  public void apply(BpfMap map, byte[] key, byte[] value) {
    WatchedMap w = maps.get(map.id());
    if (w == null) {
      map.update(key, value, UpdateFlag.ANY);
      return;
    }
    synchronized (w) {
      map.update(key, value, UpdateFlag.ANY);
      w.shadow.put(key, 0, value, 0, w.epoch);
      w.touched(key);
    }
  }

  /** Deletes a key on behalf of the agent; false if it was absent. Never reported. */
  public boolean applyDelete(BpfMap map, byte[] key) {
    WatchedMap w = maps.get(map.id());
    if (w == null) {
      return map.delete(key);
    }
    synchronized (w) {
      boolean existed = map.delete(key);
      w.shadow.remove(key, 0);
      w.touched(key);
      return existed;
    }
  }

  /**
   * Applies puts (value non-null) and deletes (value null) in order, puts in BPF_MAP_UPDATE_BATCH
   * calls. If the kernel fails part-way, the shadow is re-read from the map for the batch's keys
   * before the error is thrown.
   */
  public void applyBatch(BpfMap map, List<MapEntry> entries) {
    WatchedMap w = maps.get(map.id());
    Object lock = w == null ? new Object() : w;
    synchronized (lock) {
      try {
        List<byte[]> keys = new ArrayList<>();
        List<byte[]> values = new ArrayList<>();
        for (MapEntry e : entries) {
          if (e.value() != null) {
            keys.add(e.key());
            values.add(e.value());
            continue;
          }
          map.updateBatch(keys, values, UpdateFlag.ANY);
          keys.clear();
          values.clear();
          map.delete(e.key());
        }
        map.updateBatch(keys, values, UpdateFlag.ANY);
        if (w != null) {
          for (MapEntry e : entries) {
            record(w, e.key(), e.value());
          }
        }
      } catch (RuntimeException ex) {
        if (w != null) {
          for (MapEntry e : entries) {
            record(w, e.key(), map.lookup(e.key()));
          }
        }
        throw ex;
      }
    }
  }

  private static void record(WatchedMap w, byte[] key, byte[] value) {
    if (value == null) {
      w.shadow.remove(key, 0);
    } else {
      w.shadow.put(key, 0, value, 0, w.epoch);
    }
    w.touched(key);
  }

  private void checkOpen() {
    if (closed) {
      throw new IllegalStateException("capture session is closed");
    }
  }

  /** Stops the capture thread, detaches the programs and closes every handle the session holds. */
  @Override
  public synchronized void close() {
    if (closed) {
      return;
    }
    closed = true;
    loop.close();
    for (Integer id : List.copyOf(maps.keySet())) {
      remove(id);
    }
    sources.close();
  }

  /** Options of a session. */
  public static final class Builder {
    private final ChangeSink sink;
    private int ringSize = 16 << 20;
    private int inlineMax = 512;
    private Duration scanInterval = Duration.ofSeconds(1);
    private Duration idleSpin = Duration.ofNanos(250_000);
    private Path emitPinRoot;
    private boolean captureOwnProcess;

    private Builder(ChangeSink sink) {
      this.sink = Objects.requireNonNull(sink, "sink");
    }

    /**
     * Bytes of the capture ring buffer, a power of two multiple of the page size (default 16 MiB).
     */
    public Builder ringSize(int bytes) {
      if (Integer.bitCount(bytes) != 1 || bytes < 4096) {
        throw new IllegalArgumentException(
            "ring size must be a power of two of at least 4096, not " + bytes);
      }
      this.ringSize = bytes;
      return this;
    }

    /**
     * Keys and values up to this size travel in the ring; larger values are read back by lookup
     * (max 512).
     */
    public Builder inlineMax(int bytes) {
      this.inlineMax = Math.max(0, Math.min(512, bytes));
      return this;
    }

    /** Default interval of the scan tier (default 1 s). */
    public Builder scanInterval(Duration interval) {
      this.scanInterval = interval;
      return this;
    }

    /**
     * How long the capture thread polls an idle ring before sleeping (default 250 us): latency
     * against CPU.
     */
    public Builder idleSpin(Duration spin) {
      this.idleSpin = spin;
      return this;
    }

    /**
     * Where network functions built with mapsync_emit.h pin mapsync_ring and mapsync_state (enables
     * Tier.EMIT).
     */
    public Builder emitPinRoot(Path dir) {
      this.emitPinRoot = dir;
      return this;
    }

    /**
     * Reports this process's own bpf() writes too. For benchmarks and demos only: an agent that
     * sets it sees its applied deltas echo.
     */
    public Builder captureOwnProcess(boolean yes) {
      this.captureOwnProcess = yes;
      return this;
    }

    public CaptureSession build() {
      return new CaptureSession(this);
    }
  }
}
