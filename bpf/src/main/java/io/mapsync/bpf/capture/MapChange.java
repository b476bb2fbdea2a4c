package io.mapsync.bpf.capture;

import java.util.Arrays;
import java.util.HexFormat;

/**
 * One captured change of a watched map.
 *
 * @param tier the tier that saw it (never AUTO)
 * @param value the new value for PUT (all CPUs' slots for per-CPU maps), null for DELETE
 * @param pid the process that made it; 0 when unknown (scan) or in softirq context
 * @param timestampNs CLOCK_MONOTONIC nanoseconds when it was seen (bpf_ktime_get_ns;
 *     System.nanoTime() for scans)
 */
public record MapChange(
    Tier tier,
    int mapId,
    String mapName,
    Op op,
    byte[] key,
    byte[] value,
    int pid,
    long timestampNs) {

  /** What happened to the key. */
  public enum Op {
    PUT,
    DELETE
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof MapChange c
        && tier == c.tier
        && mapId == c.mapId
        && mapName.equals(c.mapName)
        && op == c.op
        && Arrays.equals(key, c.key)
        && Arrays.equals(value, c.value)
        && pid == c.pid
        && timestampNs == c.timestampNs;
  }

  @Override
  public int hashCode() {
    return 31 * (31 * mapId + Arrays.hashCode(key)) + op.hashCode();
  }

  @Override
  public String toString() {
    HexFormat hex = HexFormat.of();
    return tier
        + " "
        + op
        + " map "
        + mapName
        + "("
        + mapId
        + ") key "
        + hex.formatHex(key)
        + (value == null ? "" : " value " + hex.formatHex(value))
        + " pid "
        + pid;
  }
}
