package io.mapsync.store.contract;

import com.google.protobuf.ByteString;
import io.mapsync.wire.DeltaBatch;
import io.mapsync.wire.MapDelta;
import io.mapsync.wire.MapSpec;
import io.mapsync.wire.MapType;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/** Small builders for specs, keys and deltas in tests. */
public final class Deltas {
  private Deltas() {}

  public static MapSpec spec(
      String name, MapType type, int keySize, int valueSize, int maxEntries) {
    return MapSpec.newBuilder()
        .setName(name)
        .setType(type)
        .setKeySize(keySize)
        .setValueSize(valueSize)
        .setMaxEntries(maxEntries)
        .build();
  }

  /** A 4-byte little-endian key or value. */
  public static ByteString u32(int v) {
    return ByteString.copyFrom(
        ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putInt(v).array());
  }

  /** An 8-byte little-endian value. */
  public static ByteString u64(long v) {
    return ByteString.copyFrom(
        ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(v).array());
  }

  public static MapDelta put(String map, ByteString key, ByteString value) {
    return MapDelta.newBuilder()
        .setMap(map)
        .setOp(MapDelta.Op.PUT)
        .setKey(key)
        .setValue(value)
        .build();
  }

  public static MapDelta delete(String map, ByteString key) {
    return MapDelta.newBuilder().setMap(map).setOp(MapDelta.Op.DELETE).setKey(key).build();
  }

  public static DeltaBatch batch(MapDelta... deltas) {
    return DeltaBatch.newBuilder().addAllDeltas(java.util.List.of(deltas)).build();
  }

  public static DeltaBatch batch(String origin, long seq, MapDelta... deltas) {
    return DeltaBatch.newBuilder()
        .setOrigin(origin)
        .setBatchSeq(seq)
        .addAllDeltas(java.util.List.of(deltas))
        .build();
  }
}
