package io.mapsync.store;

import io.mapsync.wire.KeyValue;

/**
 * One change to one key, as delivered to watchers.
 *
 * @param type put or delete
 * @param kv the key after the change; for a delete only key and mod revision are set
 * @param prevKv the key before the change, or null if it did not exist
 */
public record Event(Type type, KeyValue kv, KeyValue prevKv) {
  /** Kinds of change. */
  public enum Type {
    PUT,
    DELETE
  }

  public long revision() {
    return kv.getModRevision();
  }
}
