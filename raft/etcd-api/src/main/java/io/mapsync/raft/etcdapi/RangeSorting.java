package io.mapsync.raft.etcdapi;

import com.google.protobuf.ByteString;
import io.etcd.jetcd.api.KeyValue;
import io.etcd.jetcd.api.RangeRequest;
import io.etcd.jetcd.api.RangeRequest.SortOrder;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * etcd's sort options for range reads. The store returns keys in key order; any other order is
 * applied here, and then the limit, because a limit must cut the sorted list, not the key-ordered
 * one (so a sorted read asks the store for every key in the range, as etcd does).
 */
final class RangeSorting {
  private static final Comparator<ByteString> BYTES =
      ByteString.unsignedLexicographicalComparator();

  private RangeSorting() {}

  /** True if the answer is not in plain ascending key order. */
  static boolean reorders(RangeRequest r) {
    SortOrder order = effectiveOrder(r);
    return order != SortOrder.NONE
        && !(r.getSortTarget() == RangeRequest.SortTarget.KEY && order == SortOrder.ASCEND);
  }

  /** Sorts and applies the limit; returns the kvs to send. */
  static List<KeyValue> sortAndLimit(RangeRequest r, List<KeyValue> kvs) {
    List<KeyValue> sorted = new ArrayList<>(kvs);
    Comparator<KeyValue> order = comparator(r.getSortTarget());
    sorted.sort(effectiveOrder(r) == SortOrder.DESCEND ? order.reversed() : order);
    return r.getLimit() > 0 && sorted.size() > r.getLimit()
        ? sorted.subList(0, (int) r.getLimit())
        : sorted;
  }

  /** etcd sorts ascending when a target other than the key is given without an order. */
  private static SortOrder effectiveOrder(RangeRequest r) {
    if (r.getSortOrder() == SortOrder.UNRECOGNIZED) {
      return SortOrder.NONE;
    }
    if (r.getSortOrder() == SortOrder.NONE && r.getSortTarget() != RangeRequest.SortTarget.KEY) {
      return SortOrder.ASCEND;
    }
    return r.getSortOrder();
  }

  private static Comparator<KeyValue> comparator(RangeRequest.SortTarget target) {
    Comparator<KeyValue> byKey = Comparator.comparing(KeyValue::getKey, BYTES);
    return switch (target) {
      case VERSION -> Comparator.comparingLong(KeyValue::getVersion).thenComparing(byKey);
      case CREATE -> Comparator.comparingLong(KeyValue::getCreateRevision).thenComparing(byKey);
      case MOD -> Comparator.comparingLong(KeyValue::getModRevision).thenComparing(byKey);
      case VALUE -> Comparator.comparing(KeyValue::getValue, BYTES).thenComparing(byKey);
      default -> byKey;
    };
  }
}
