package io.mapsync.store.state;

import com.google.protobuf.ByteString;
import io.mapsync.wire.DeltaRejection;
import io.mapsync.wire.MapDelta;
import io.mapsync.wire.MapSpec;
import io.mapsync.wire.MapType;

/** The rules a map spec and a delta must meet before anything reaches a map. */
public final class MapValidation {
  private MapValidation() {}

  /** A readable problem with the spec, or null if it is valid. */
  public static String checkSpec(MapSpec spec) {
    if (!KeyLayout.validMapName(spec.getName())) {
      return "map name '"
          + spec.getName()
          + "' is invalid: use 1-64 letters, digits, '_', '.' or '-'";
    }
    if (spec.getType() == MapType.MAP_TYPE_UNSPECIFIED || spec.getType() == MapType.UNRECOGNIZED) {
      return "map '"
          + spec.getName()
          + "' has no supported type (hash, lru_hash, array, percpu_hash, percpu_array, lru_percpu_hash)";
    }
    if (spec.getKeySize() == 0 || spec.getValueSize() == 0) {
      return "map '" + spec.getName() + "' needs key_size and value_size > 0";
    }
    if (isArray(spec.getType()) && spec.getKeySize() != 4) {
      return "map '" + spec.getName() + "' is an array: its key_size must be 4";
    }
    if (spec.getMaxEntries() == 0) {
      return "map '" + spec.getName() + "' needs max_entries > 0";
    }
    if (spec.getIdleTtlMillis() > 0 && isArray(spec.getType())) {
      return "map '"
          + spec.getName()
          + "' is an array: its entries cannot expire; remove idle_ttl or use a hash map";
    }
    return null;
  }

  /**
   * A rejection for this delta against the spec, or null if it may be applied. Public so that a
   * backend that validates on the client (external etcd) refuses exactly what the replicas would.
   */
  public static DeltaRejection check(
      int index, MapSpec spec, MapDelta.Op op, ByteString key, ByteString value) {
    String name = spec.getName();
    if (op != MapDelta.Op.PUT && op != MapDelta.Op.DELETE) {
      return DeltaApplier.reject(
          index, DeltaRejection.Reason.UNSUPPORTED_OP, "unknown delta op " + op);
    }
    if (key.size() != spec.getKeySize()) {
      return DeltaApplier.reject(
          index,
          DeltaRejection.Reason.KEY_SIZE,
          "map '" + name + "' takes " + spec.getKeySize() + "-byte keys, got " + key.size());
    }
    if (isArray(spec.getType())) {
      if (op == MapDelta.Op.DELETE) {
        return DeltaApplier.reject(
            index,
            DeltaRejection.Reason.UNSUPPORTED_OP,
            "map '" + name + "' is an array: its entries cannot be deleted, only overwritten");
      }
      long idx =
          Integer.toUnsignedLong(
              key.asReadOnlyByteBuffer().order(java.nio.ByteOrder.LITTLE_ENDIAN).getInt());
      if (idx >= spec.getMaxEntries()) {
        return DeltaApplier.reject(
            index,
            DeltaRejection.Reason.KEY_OUT_OF_RANGE,
            "map '"
                + name
                + "' is an array of "
                + spec.getMaxEntries()
                + " entries; index "
                + idx
                + " is out of range");
      }
    }
    if (op == MapDelta.Op.PUT && value.size() != spec.getValueSize()) {
      return DeltaApplier.reject(
          index,
          DeltaRejection.Reason.VALUE_SIZE,
          "map '" + name + "' takes " + spec.getValueSize() + "-byte values, got " + value.size());
    }
    return null;
  }

  public static boolean isArray(MapType type) {
    return type == MapType.ARRAY || type == MapType.PERCPU_ARRAY;
  }

  public static String describe(MapSpec spec) {
    return spec.getType().name().toLowerCase(java.util.Locale.ROOT)
        + " key="
        + spec.getKeySize()
        + "B value="
        + spec.getValueSize()
        + "B max_entries="
        + spec.getMaxEntries()
        + (spec.getIdleTtlMillis() > 0 ? " idle_ttl=" + spec.getIdleTtlMillis() + "ms" : "");
  }
}
