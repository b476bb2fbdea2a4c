package io.mapsync.bpf.capture;

import io.mapsync.bpf.capture.MapChange.Op;
import io.mapsync.bpf.internal.RingReader;
import java.nio.ByteBuffer;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns ring records (struct mapsync_event, include/mapsync_event.h) into {@link MapChange}s:
 * updates the shadow, then tells the sink. Runs on the capture thread.
 */
final class RecordDecoder implements RingReader.RecordHandler {
  private static final Logger LOG = LoggerFactory.getLogger(RecordDecoder.class);
  private static final int HEADER = 32;
  private static final int F_VALUE_LOOKUP = 1;
  private static final int F_KEY_MISSING = 2;

  private final Map<Integer, WatchedMap> maps;
  private final ChangeSink sink;

  RecordDecoder(Map<Integer, WatchedMap> maps, ChangeSink sink) {
    this.maps = maps;
    this.sink = sink;
  }

  /**
   * Never throws: the reader must advance past every record, or records before a failure come
   * again.
   */
  @Override
  public void record(ByteBuffer data, int off, int len) {
    try {
      decode(data, off, len);
    } catch (RuntimeException e) {
      WatchedMap w = len >= HEADER ? maps.get(data.getInt(off + 8)) : null;
      LOG.warn(
          "capture record of map id {} could not be handled; rescanning the map",
          w == null ? -1 : w.id(),
          e);
      if (w != null) {
        w.rescanReason = "a record could not be handled: " + e.getMessage();
      }
    }
  }

  private void decode(ByteBuffer data, int off, int len) {
    if (len < HEADER) {
      return; // not one of ours (a wake-up is an empty discarded record and never gets here)
    }
    int mapId = data.getInt(off + 8);
    WatchedMap w = maps.get(mapId);
    Tier tier = tier(data.get(off + 25));
    if (w == null || tier == null || !w.has(tier)) {
      return; // not watched (any more), or not through this tier
    }
    long ts = data.getLong(off);
    int pid = data.getInt(off + 12);
    if (ts < w.baselineStartNanos) {
      // Written before the map's baseline dump began (e.g. left in a pinned emit ring from
      // before this session): the dump already holds its effect, and reporting it now could
      // replay a value the agent has since replaced.
      return;
    }
    int keyLen = data.getInt(off + 16);
    int valueLen = data.getInt(off + 20);
    Op op = data.get(off + 24) == 2 ? Op.DELETE : Op.PUT;
    int flags = data.get(off + 26);
    if ((flags & F_KEY_MISSING) != 0 || keyLen != w.info.keySize()) {
      w.rescanReason = "a key of map " + w.info.label() + " did not travel inline";
      return;
    }
    byte[] key = new byte[keyLen];
    data.get(off + HEADER, key);
    byte[] value = null;
    if (op == Op.PUT) {
      if ((flags & F_VALUE_LOOKUP) != 0 || valueLen != w.info.userValueSize()) {
        value = w.map.lookup(key);
        if (value == null) {
          return; // deleted since; its delete record follows
        }
      } else {
        value = new byte[valueLen];
        data.get(off + HEADER + ((keyLen + 7) & ~7), value);
      }
    }
    synchronized (w) {
      if (op == Op.PUT) {
        w.shadow.put(key, 0, value, 0, w.epoch);
      } else {
        w.shadow.remove(key, 0);
      }
      w.touched(key);
      w.captured++;
      sink.onChange(new MapChange(tier, mapId, w.info.name(), op, key, value, pid, ts));
    }
  }

  private static Tier tier(byte bits) {
    switch (bits) {
      case 1:
        return Tier.SYSCALL;
      case 2:
        return Tier.FENTRY;
      case 4:
        return Tier.EMIT;
      default:
        return null;
    }
  }
}
