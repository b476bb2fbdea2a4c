package io.mapsync.raft.etcd;

import static io.mapsync.store.contract.Deltas.batch;
import static io.mapsync.store.contract.Deltas.delete;
import static io.mapsync.store.contract.Deltas.put;
import static io.mapsync.store.contract.Deltas.spec;
import static io.mapsync.store.contract.Deltas.u32;
import static io.mapsync.store.contract.Deltas.u64;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.ByteString;
import io.mapsync.store.state.KeyLayout;
import io.mapsync.wire.DeltaBatch;
import io.mapsync.wire.DeltaRejection;
import io.mapsync.wire.MapSpec;
import io.mapsync.wire.MapType;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The client-side planning of a batch decides what the embedded store's apply would. */
class BatchPlanTest {
  private static final MapSpec FULL = spec("full", MapType.HASH, 4, 4, 2);
  private static final MapSpec LRU = spec("lru", MapType.LRU_HASH, 4, 4, 2);
  private static final MapSpec ARR = spec("arr", MapType.ARRAY, 4, 4, 4);
  private static final Map<String, MapSpec> SPECS = Map.of("full", FULL, "lru", LRU, "arr", ARR);

  /** The full map holds keys 1 and 2. */
  private static final BatchPlan.Occupancy TWO_ENTRIES =
      new BatchPlan.Occupancy() {
        @Override
        public long count(String map) {
          return map.equals("full") ? 2 : 0;
        }

        @Override
        public boolean exists(ByteString key) {
          return key.equals(KeyLayout.entryKey("full", u32(1)))
              || key.equals(KeyLayout.entryKey("full", u32(2)));
        }
      };

  @Test
  void aDeleteEarlierInTheBatchMakesRoomForANewKey() {
    BatchPlan plan =
        BatchPlan.of(
            batch(
                put("full", u32(3), u32(3)),
                delete("full", u32(1)),
                put("full", u32(4), u32(4)),
                put("full", u32(5), u32(5))),
            SPECS,
            TWO_ENTRIES);
    assertEquals(List.of(0, 3), plan.rejections().stream().map(DeltaRejection::getIndex).toList());
    assertTrue(
        plan.rejections().stream().allMatch(r -> r.getReason() == DeltaRejection.Reason.MAP_FULL));
    assertEquals(
        List.of(KeyLayout.entryKey("full", u32(1)), KeyLayout.entryKey("full", u32(4))),
        plan.writes().stream().map(BatchPlan.Write::key).toList());
  }

  @Test
  void updatingAnExistingKeyOfAFullMapIsAccepted() {
    BatchPlan plan = BatchPlan.of(batch(put("full", u32(2), u32(9))), SPECS, TWO_ENTRIES);
    assertTrue(plan.rejections().isEmpty());
  }

  @Test
  void severalDeltasToOneKeyCollapseIntoTheLast() {
    BatchPlan plan =
        BatchPlan.of(
            batch(
                put("lru", u32(1), u32(1)),
                put("lru", u32(2), u32(2)),
                put("lru", u32(1), u32(7)),
                delete("lru", u32(2))),
            SPECS,
            OccupancyReader.NOTHING_TO_CHECK);
    assertEquals(2, plan.writes().size());
    assertEquals(u32(7), plan.writes().get(0).value());
    assertNull(plan.writes().get(1).value());
  }

  @Test
  void lruMapsAndArraysNeedNoCount() {
    DeltaBatch b =
        batch(put("lru", u32(1), u32(1)), put("arr", u32(3), u32(1)), delete("full", u32(1)));
    assertEquals(Set.of(), BatchPlan.keysToCheck(b, SPECS));
    assertTrue(BatchPlan.of(b, SPECS, OccupancyReader.NOTHING_TO_CHECK).rejections().isEmpty());
  }

  @Test
  void everyKeyOfAGrowingBoundedMapIsProbed() {
    DeltaBatch b =
        batch(put("full", u32(3), u32(3)), delete("full", u32(1)), put("full", u64(1), u32(1)));
    assertEquals(
        Set.of(KeyLayout.entryKey("full", u32(3)), KeyLayout.entryKey("full", u32(1))),
        BatchPlan.keysToCheck(b, SPECS));
  }

  @Test
  void validationRulesAreTheReplicas() {
    BatchPlan plan =
        BatchPlan.of(
            batch(
                put("nope", u32(1), u32(1)),
                put("arr", u32(4), u32(1)),
                delete("arr", u32(1)),
                put("lru", u32(1), u64(1))),
            SPECS,
            OccupancyReader.NOTHING_TO_CHECK);
    assertEquals(
        List.of(
            DeltaRejection.Reason.UNKNOWN_MAP,
            DeltaRejection.Reason.KEY_OUT_OF_RANGE,
            DeltaRejection.Reason.UNSUPPORTED_OP,
            DeltaRejection.Reason.VALUE_SIZE),
        plan.rejections().stream().map(DeltaRejection::getReason).toList());
    assertTrue(plan.writes().isEmpty());
  }
}
