package io.mapsync.bench.etcd;

import com.google.protobuf.ByteString;
import io.mapsync.wire.MapDelta;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/** The deltas a benchmark proposes: puts of fixed-size keys cycling through a key space. */
final class BenchDeltas {
  static final String MAP = "bench";

  private final BenchOptions options;

  BenchDeltas(BenchOptions options) {
    this.options = options;
  }

  /**
   * The i-th delta of an origin: key i mod key space, a value carrying i, stamped with its capture
   * time.
   */
  MapDelta delta(String origin, long i, long capturedUnixNanos) {
    ByteBuffer key = ByteBuffer.allocate(options.keySize()).order(ByteOrder.LITTLE_ENDIAN);
    key.putLong(Math.floorMod(i, (long) options.keySpace()));
    ByteBuffer value = ByteBuffer.allocate(options.valueSize()).order(ByteOrder.LITTLE_ENDIAN);
    if (options.valueSize() >= 8) {
      value.putLong(i);
    }
    return MapDelta.newBuilder()
        .setMap(MAP)
        .setOp(MapDelta.Op.PUT)
        .setKey(ByteString.copyFrom(key.array()))
        .setValue(ByteString.copyFrom(value.array()))
        .setOrigin(origin)
        .setOriginSeq(i + 1)
        .setCapturedUnixNanos(capturedUnixNanos)
        .build();
  }
}
