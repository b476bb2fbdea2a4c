package io.mapsync.bench.store;

import com.google.protobuf.ByteString;
import io.mapsync.wire.DeltaBatch;
import io.mapsync.wire.MapDelta;
import io.mapsync.wire.MapSpec;
import io.mapsync.wire.MapType;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.UUID;

/**
 * Deltas as the agent would propose them: puts of fixed-size keys and values into one hash map,
 * keys cycling over a bounded key space (so the state, and snapshots, stay a realistic size) in a
 * map that has room to spare (a full map costs one more lookup per delta), batches tagged with an
 * origin and sequence number (so the state's retry dedup runs too).
 */
final class DeltaSource {
  static final String MAP = "bench";

  private final int keySize;
  private final int valueSize;
  private final int keySpace;
  private final String origin = "bench#" + UUID.randomUUID();
  private long nextKey;
  private long nextBatch;

  DeltaSource(int keySize, int valueSize, int keySpace) {
    if (keySize < 8 || valueSize < 8) {
      throw new IllegalArgumentException("keys and values must be at least 8 bytes");
    }
    this.keySize = keySize;
    this.valueSize = valueSize;
    this.keySpace = keySpace;
  }

  MapSpec spec() {
    return MapSpec.newBuilder()
        .setName(MAP)
        .setType(MapType.HASH)
        .setKeySize(keySize)
        .setValueSize(valueSize)
        .setMaxEntries(4 * keySpace)
        .build();
  }

  /**
   * A batch of deltas; delta i carries {@code stamps[i]} (a System.nanoTime value) in its capture
   * time field, so the apply probe can measure from it.
   */
  synchronized DeltaBatch batch(long[] stamps, int count) {
    DeltaBatch.Builder b = DeltaBatch.newBuilder().setOrigin(origin).setBatchSeq(++nextBatch);
    for (int i = 0; i < count; i++) {
      long k = nextKey++ % keySpace;
      ByteBuffer key = ByteBuffer.allocate(keySize).order(ByteOrder.LITTLE_ENDIAN).putLong(0, k);
      ByteBuffer value = ByteBuffer.allocate(valueSize).order(ByteOrder.LITTLE_ENDIAN);
      value.putLong(0, nextKey);
      b.addDeltas(
          MapDelta.newBuilder()
              .setMap(MAP)
              .setOp(MapDelta.Op.PUT)
              .setKey(ByteString.copyFrom(key))
              .setValue(ByteString.copyFrom(value))
              .setOrigin(origin)
              .setOriginSeq(nextKey)
              .setCapturedUnixNanos(stamps[i]));
    }
    return b.build();
  }
}
