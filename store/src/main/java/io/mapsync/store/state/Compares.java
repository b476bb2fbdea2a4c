package io.mapsync.store.state;

import io.mapsync.store.KeyRanges;
import io.mapsync.wire.KeyValue;
import io.mapsync.wire.KvCompare;
import java.util.Collection;

/** Evaluates a transaction's compares the way etcd does. */
final class Compares {
  private Compares() {}

  static boolean holds(KvCompare c, KeySpace space) {
    Collection<KeyValue> kvs = space.range(c.getKey(), c.getRangeEnd());
    if (kvs.isEmpty()) {
      // A missing key compares as all zeros, except that no value equals a missing one.
      return c.getTarget() != KvCompare.Target.VALUE && holds(c, KeyValue.getDefaultInstance());
    }
    for (KeyValue kv : kvs) {
      if (!holds(c, kv)) {
        return false;
      }
    }
    return true;
  }

  private static boolean holds(KvCompare c, KeyValue kv) {
    int cmp =
        switch (c.getTarget()) {
          case VERSION -> Long.compare(kv.getVersion(), c.getVersion());
          case CREATE -> Long.compare(kv.getCreateRevision(), c.getCreateRevision());
          case MOD -> Long.compare(kv.getModRevision(), c.getModRevision());
          case VALUE -> KeyRanges.ORDER.compare(kv.getValue(), c.getValue());
          case LEASE -> Long.compare(kv.getLease(), c.getLease());
          default -> throw new IllegalArgumentException("unknown compare target " + c.getTarget());
        };
    return switch (c.getResult()) {
      case EQUAL -> cmp == 0;
      case NOT_EQUAL -> cmp != 0;
      case GREATER -> cmp > 0;
      case LESS -> cmp < 0;
      default -> throw new IllegalArgumentException("unknown compare result " + c.getResult());
    };
  }
}
