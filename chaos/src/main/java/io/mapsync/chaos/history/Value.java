package io.mapsync.chaos.history;

import io.mapsync.chaos.cluster.ClusterSettings;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.HexFormat;

/**
 * A value of the chaos traffic: 16 bytes, the last eight the id of the operation that wrote it. A
 * value that does not decode (foreign bytes, a torn write) keeps its raw bytes for the report.
 */
public record Value(byte[] raw) {
  private static final byte MAGIC = (byte) 0xC4;

  public static Value forOp(long opId) {
    ByteBuffer b = ByteBuffer.allocate(ClusterSettings.VALUE_SIZE);
    b.put(MAGIC);
    b.position(8);
    b.putLong(opId);
    return new Value(b.array());
  }

  /** The id of the operation that wrote this value, or -1 if it is not a traffic value. */
  public long opId() {
    if (raw.length != ClusterSettings.VALUE_SIZE || raw[0] != MAGIC) {
      return -1;
    }
    return ByteBuffer.wrap(raw, 8, 8).getLong();
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Value v && Arrays.equals(raw, v.raw);
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(raw);
  }

  @Override
  public String toString() {
    long id = opId();
    return id >= 0 ? "v#" + id : "raw:" + HexFormat.of().formatHex(raw);
  }
}
