package io.mapsync.store.state;

import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import io.mapsync.store.Event;
import io.mapsync.wire.DeleteResult;
import io.mapsync.wire.DeltaRejection;
import io.mapsync.wire.KeyValue;
import io.mapsync.wire.KvCompare;
import io.mapsync.wire.KvDeleteRange;
import io.mapsync.wire.KvOp;
import io.mapsync.wire.KvPut;
import io.mapsync.wire.KvTxn;
import io.mapsync.wire.MapDelta;
import io.mapsync.wire.MapSpec;
import io.mapsync.wire.OpResult;
import io.mapsync.wire.PutResult;
import io.mapsync.wire.TxnResult;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Applies etcd-style transactions. Writes under {@code /mapsync/} are held to the same rules as
 * deltas (a put to a map entry must fit the map), so the etcd API cannot corrupt a map; a
 * transaction that breaks a rule changes nothing and fails with a readable reason. A put of a
 * {@link MapSpec} (protobuf bytes) at {@code /mapsync/specs/<map>} registers that map, with the
 * same rules as a registration entry.
 */
final class TxnApplier {
  private final KeySpace space;
  private final RangeReader reader;

  TxnApplier(KeySpace space, RangeReader reader) {
    this.space = space;
    this.reader = reader;
  }

  /** Thrown when a transaction is refused as a whole. */
  static final class TxnRefused extends RuntimeException {
    private static final long serialVersionUID = 1L;

    TxnRefused(String message) {
      super(message, null, false, false);
    }
  }

  TxnResult apply(KvTxn txn, long revision, List<Event> events) {
    boolean succeeded = true;
    for (KvCompare c : txn.getCompareList()) {
      if (!Compares.holds(c, space)) {
        succeeded = false;
        break;
      }
    }
    List<KvOp> ops = succeeded ? txn.getSuccessList() : txn.getFailureList();
    validate(ops, new HashMap<>());
    TxnResult.Builder result = TxnResult.newBuilder().setSucceeded(succeeded);
    for (KvOp op : ops) {
      result.addResponses(applyOp(op, revision, events));
    }
    return result.build();
  }

  private OpResult applyOp(KvOp op, long revision, List<Event> events) {
    return switch (op.getOpCase()) {
      case RANGE -> OpResult.newBuilder().setRange(reader.read(op.getRange(), revision)).build();
      case PUT -> OpResult.newBuilder().setPut(put(op.getPut(), revision, events)).build();
      case DELETE_RANGE ->
          OpResult.newBuilder()
              .setDeleteRange(delete(op.getDeleteRange(), revision, events))
              .build();
      case TXN -> OpResult.newBuilder().setTxn(apply(op.getTxn(), revision, events)).build();
      default -> throw new TxnRefused("empty operation in transaction");
    };
  }

  private PutResult put(KvPut put, long revision, List<Event> events) {
    KeyValue prev = space.get(put.getKey());
    KeyValue.Builder kv = KeyValue.newBuilder();
    if (put.getIgnoreValue()) {
      kv.setValue(prev.getValue());
    } else {
      kv.setValue(put.getValue());
    }
    kv.setLease(put.getIgnoreLease() ? prev.getLease() : put.getLease());
    if (prev != null && KeyLayout.isReserved(put.getKey())) {
      kv.setOrigin(prev.getOrigin()).setOriginSeq(prev.getOriginSeq());
    }
    Optional<String> specName = KeyLayout.parseSpecKey(put.getKey());
    if (specName.isPresent()) {
      // Validated before anything was written; stored canonically so every replica holds equal
      // bytes.
      MapSpec spec = parseSpec(kv.getValue());
      kv.setValue(spec.toByteString());
      space.specs.putIfAbsent(specName.get(), spec);
      space.lru.register(spec);
      space.idle.register(spec);
    }
    space.put(put.getKey(), kv, revision, events);
    PutResult.Builder out = PutResult.newBuilder();
    if (put.getPrevKv() && prev != null) {
      out.setPrevKv(prev);
    }
    return out.build();
  }

  private DeleteResult delete(KvDeleteRange del, long revision, List<Event> events) {
    List<ByteString> keys = space.keysIn(del.getKey(), del.getRangeEnd());
    DeleteResult.Builder out = DeleteResult.newBuilder();
    for (ByteString key : keys) {
      KeyValue prev = space.delete(key, revision, events);
      if (prev != null) {
        out.setDeleted(out.getDeleted() + 1);
        if (del.getPrevKv()) {
          out.addPrevKvs(prev);
        }
      }
    }
    return out.build();
  }

  /**
   * Refuses the whole transaction before anything is written if any write breaks a rule.
   *
   * @param pendingSpecs specs registered by earlier puts of the same transaction
   */
  private void validate(List<KvOp> ops, Map<String, MapSpec> pendingSpecs) {
    for (KvOp op : ops) {
      switch (op.getOpCase()) {
        case PUT -> validatePut(op.getPut(), pendingSpecs);
        case DELETE_RANGE -> validateDelete(op.getDeleteRange());
        case TXN -> {
          validate(op.getTxn().getSuccessList(), pendingSpecs);
          validate(op.getTxn().getFailureList(), pendingSpecs);
        }
        default -> {}
      }
    }
  }

  private void validatePut(KvPut put, Map<String, MapSpec> pendingSpecs) {
    KeyValue prev = space.get(put.getKey());
    if ((put.getIgnoreValue() || put.getIgnoreLease()) && prev == null) {
      throw new TxnRefused("key not found: ignore_value/ignore_lease need an existing key");
    }
    if (put.getLease() != 0 && !put.getIgnoreLease() && !space.leases.containsKey(put.getLease())) {
      throw new TxnRefused("requested lease not found: " + put.getLease());
    }
    // Origin markers are an etcd-API client's own idempotency bookkeeping (the external etcd
    // backend writes them in the same txn as its map entries), so they pass unchecked.
    if (!KeyLayout.isReserved(put.getKey()) || KeyLayout.parseOriginKey(put.getKey()).isPresent()) {
      return;
    }
    // Auth records are the etcd API facade's (it checks them and keeps clients' KV writes out);
    // a lease would let them vanish on expiry.
    if (KeyLayout.isAuthKey(put.getKey())) {
      if (put.getLease() != 0 && !put.getIgnoreLease()) {
        throw new TxnRefused(
            "auth record " + put.getKey().toStringUtf8() + " cannot be attached to a lease");
      }
      return;
    }
    if (KeyLayout.parseMemberKey(put.getKey()).isPresent()) {
      validateMemberPut(put);
      return;
    }
    Optional<String> specName = KeyLayout.parseSpecKey(put.getKey());
    if (specName.isPresent()) {
      validateSpecPut(specName.get(), put, prev, pendingSpecs);
      return;
    }
    var entry = KeyLayout.parseEntryKey(put.getKey());
    if (entry.isEmpty()) {
      throw new TxnRefused(
          "key "
              + put.getKey().toStringUtf8()
              + " is reserved by mapsync; map entries are "
              + KeyLayout.MAPS_PREFIX.toStringUtf8()
              + "<map>/<hex key>, and maps are registered with 'mapsync map add'");
    }
    MapSpec spec = pendingSpecs.getOrDefault(entry.get().map(), space.specs.get(entry.get().map()));
    if (spec == null) {
      throw new TxnRefused("map '" + entry.get().map() + "' is not registered");
    }
    ByteString value = put.getIgnoreValue() ? prev.getValue() : put.getValue();
    DeltaRejection bad = MapValidation.check(0, spec, MapDelta.Op.PUT, entry.get().rawKey(), value);
    if (bad != null) {
      throw new TxnRefused(bad.getMessage());
    }
  }

  /** A member's client address: host:port, so that listings can turn it into a URL. */
  private static void validateMemberPut(KvPut put) {
    String address = put.getValue().toStringUtf8();
    if (put.getIgnoreValue()
        || put.getLease() != 0 && !put.getIgnoreLease()
        || !address.matches("[^\\s/]{1,253}:[0-9]{1,5}")) {
      throw new TxnRefused(
          "the value of "
              + put.getKey().toStringUtf8()
              + " must be the member's client address as"
              + " host:port, with no lease");
    }
  }

  /**
   * A spec put registers a map: the name must match the key, and a registered map keeps its spec.
   */
  private void validateSpecPut(
      String name, KvPut put, KeyValue prev, Map<String, MapSpec> pendingSpecs) {
    if (put.getLease() != 0 && !put.getIgnoreLease()) {
      throw new TxnRefused(
          "map spec " + put.getKey().toStringUtf8() + " cannot be attached to a lease");
    }
    MapSpec spec = parseSpec(put.getIgnoreValue() ? prev.getValue() : put.getValue());
    if (!spec.getName().equals(name)) {
      throw new TxnRefused(
          "map spec named '"
              + spec.getName()
              + "' cannot be stored at "
              + put.getKey().toStringUtf8()
              + "; its key must be "
              + KeyLayout.specKey(spec.getName()).toStringUtf8());
    }
    String problem = MapValidation.checkSpec(spec);
    if (problem != null) {
      throw new TxnRefused(problem);
    }
    MapSpec existing = pendingSpecs.getOrDefault(name, space.specs.get(name));
    if (existing != null && !existing.equals(spec)) {
      throw new TxnRefused(
          "map '"
              + name
              + "' is already registered with a different spec: "
              + MapValidation.describe(existing)
              + " (asked: "
              + MapValidation.describe(spec)
              + ")");
    }
    pendingSpecs.put(name, spec);
  }

  private static MapSpec parseSpec(ByteString value) {
    try {
      MapSpec spec = MapSpec.parseFrom(value);
      if (spec.getUnknownFields().asMap().isEmpty()) {
        return spec;
      }
    } catch (InvalidProtocolBufferException e) {
      // reported below
    }
    throw new TxnRefused(
        "the value of a map spec key must be a mapsync.v1.MapSpec in protobuf encoding");
  }

  private void validateDelete(KvDeleteRange del) {
    if (!KeyLayout.touchesReserved(del.getKey(), del.getRangeEnd())) {
      return;
    }
    for (ByteString key : space.keysIn(del.getKey(), del.getRangeEnd())) {
      if (!KeyLayout.isReserved(key)
          || KeyLayout.parseOriginKey(key).isPresent()
          || KeyLayout.parseMemberKey(key).isPresent()
          || KeyLayout.isAuthKey(key)) {
        continue;
      }
      var entry = KeyLayout.parseEntryKey(key);
      if (entry.isEmpty()) {
        throw new TxnRefused(
            "key " + key.toStringUtf8() + " is reserved by mapsync and cannot be deleted here");
      }
      MapSpec spec = space.specs.get(entry.get().map());
      if (spec != null && MapValidation.isArray(spec.getType())) {
        throw new TxnRefused(
            "map '" + spec.getName() + "' is an array: its entries cannot be deleted");
      }
    }
  }
}
