package io.mapsync.raft.etcd;

import com.google.protobuf.ByteString;
import io.mapsync.store.KeyRanges;
import io.mapsync.store.StoreException;
import io.mapsync.store.state.KeyLayout;
import io.mapsync.store.state.MapValidation;
import io.mapsync.wire.DeltaRejection;
import io.mapsync.wire.KvDeleteRange;
import io.mapsync.wire.KvOp;
import io.mapsync.wire.KvPut;
import io.mapsync.wire.KvTxn;
import io.mapsync.wire.MapDelta;
import io.mapsync.wire.MapSpec;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The embedded store's rules for transactions that write under {@code /mapsync/}, checked on the
 * client because etcd itself knows nothing of map specs: a put to a map entry must fit the map,
 * array entries cannot be deleted, specs and other reserved keys are not written through txn
 * (origin markers excepted). Both branches are checked, since the client cannot know which one etcd
 * will run. Writes that bypass mapsync (etcdctl) are not covered.
 */
final class TxnWriteRules {
  private TxnWriteRules() {}

  /** The maps whose specs the rules need for this txn. */
  static Set<String> mapsTouched(KvTxn txn) {
    Set<String> maps = new LinkedHashSet<>();
    collectMaps(txn.getSuccessList(), maps);
    collectMaps(txn.getFailureList(), maps);
    return maps;
  }

  private static void collectMaps(List<KvOp> ops, Set<String> maps) {
    for (KvOp op : ops) {
      switch (op.getOpCase()) {
        case PUT -> KeyLayout.parseEntryKey(op.getPut().getKey()).ifPresent(e -> maps.add(e.map()));
        case DELETE_RANGE -> mapOfRange(op.getDeleteRange()).ifPresent(maps::add);
        case TXN -> {
          collectMaps(op.getTxn().getSuccessList(), maps);
          collectMaps(op.getTxn().getFailureList(), maps);
        }
        default -> {}
      }
    }
  }

  /** Throws REJECTED with a readable reason if any write of the txn breaks a rule. */
  static void check(KvTxn txn, Map<String, MapSpec> specs) {
    check(txn.getSuccessList(), specs);
    check(txn.getFailureList(), specs);
  }

  private static void check(List<KvOp> ops, Map<String, MapSpec> specs) {
    for (KvOp op : ops) {
      switch (op.getOpCase()) {
        case PUT -> checkPut(op.getPut(), specs);
        case DELETE_RANGE -> checkDelete(op.getDeleteRange(), specs);
        case TXN -> check(op.getTxn(), specs);
        default -> {}
      }
    }
  }

  private static void checkPut(KvPut put, Map<String, MapSpec> specs) {
    ByteString key = put.getKey();
    if (!KeyLayout.isReserved(key) || KeyLayout.parseOriginKey(key).isPresent()) {
      return;
    }
    var entry =
        KeyLayout.parseEntryKey(key)
            .orElseThrow(
                () ->
                    refused(
                        "key "
                            + key.toStringUtf8()
                            + " is reserved by mapsync; map entries are "
                            + KeyLayout.MAPS_PREFIX.toStringUtf8()
                            + "<map>/<hex key>, and maps are registered with 'mapsync map add'"));
    MapSpec spec = specs.get(entry.map());
    if (spec == null) {
      throw refused("map '" + entry.map() + "' is not registered");
    }
    DeltaRejection bad =
        MapValidation.check(0, spec, MapDelta.Op.PUT, entry.rawKey(), put.getValue());
    if (bad != null) {
      throw refused(bad.getMessage());
    }
  }

  private static void checkDelete(KvDeleteRange del, Map<String, MapSpec> specs) {
    if (!KeyLayout.touchesReserved(del.getKey(), del.getRangeEnd())) {
      return;
    }
    if (within(del, KeyLayout.ORIGINS_PREFIX)) {
      return;
    }
    String map =
        mapOfRange(del)
            .orElseThrow(
                () ->
                    refused(
                        "deleting "
                            + describe(del)
                            + " would touch keys reserved by mapsync; through the etcd backend, delete map entries one map at a time"));
    MapSpec spec = specs.get(map);
    if (spec != null && MapValidation.isArray(spec.getType())) {
      throw refused("map '" + map + "' is an array: its entries cannot be deleted");
    }
  }

  /** The map whose entries the range lies in (a single entry key, or within one map's prefix). */
  private static Optional<String> mapOfRange(KvDeleteRange del) {
    if (del.getRangeEnd().isEmpty()) {
      return KeyLayout.parseEntryKey(del.getKey()).map(KeyLayout.EntryKey::map);
    }
    if (!del.getKey().startsWith(KeyLayout.MAPS_PREFIX)) {
      return Optional.empty();
    }
    String rest = del.getKey().substring(KeyLayout.MAPS_PREFIX.size()).toStringUtf8();
    int slash = rest.indexOf('/');
    String map = slash < 0 ? rest : rest.substring(0, slash);
    if (!KeyLayout.validMapName(map) || !within(del, KeyLayout.mapPrefix(map))) {
      return Optional.empty();
    }
    return Optional.of(map);
  }

  private static boolean within(KvDeleteRange del, ByteString prefix) {
    if (!del.getKey().startsWith(prefix)) {
      return false;
    }
    ByteString end = del.getRangeEnd();
    return end.isEmpty()
        || (!KeyRanges.isOpenEnded(end)
            && KeyRanges.ORDER.compare(end, KeyRanges.prefixEnd(prefix)) <= 0);
  }

  private static String describe(KvDeleteRange del) {
    return del.getRangeEnd().isEmpty()
        ? "key " + del.getKey().toStringUtf8()
        : "range [" + del.getKey().toStringUtf8() + ", " + del.getRangeEnd().toStringUtf8() + ")";
  }

  private static StoreException refused(String message) {
    return new StoreException(StoreException.Reason.REJECTED, message);
  }
}
