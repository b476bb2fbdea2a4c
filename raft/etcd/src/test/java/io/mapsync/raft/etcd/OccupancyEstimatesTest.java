package io.mapsync.raft.etcd;

import static io.mapsync.store.contract.Deltas.spec;
import static io.mapsync.store.contract.Deltas.u32;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.mapsync.store.state.KeyLayout;
import io.mapsync.wire.MapSpec;
import io.mapsync.wire.MapType;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** The occupancy read is skipped only while an upper bound keeps the map a margin from full. */
class OccupancyEstimatesTest {
  // margin = 1600 / 16 = 100: the bound plus the batch may reach 1500.
  private static final MapSpec M = spec("m", MapType.HASH, 4, 4, 1600);
  private static final Map<String, MapSpec> SPECS = Map.of("m", M);

  private final AtomicLong now = new AtomicLong(1_000_000_000L);
  private final OccupancyEstimates estimates = new OccupancyEstimates(now::get);

  @Test
  void withoutACountTheMapIsRead() {
    assertNull(estimates.skipRead(Map.of("m", 1L), SPECS));
  }

  @Test
  void farFromFullTheReadIsSkippedAndEveryPutCountsAsNew() {
    estimates.counted(Map.of("m", 1000L), estimates.beforeRead(List.of("m")));
    BatchPlan.Occupancy occ = estimates.skipRead(Map.of("m", 10L), SPECS);
    assertNotNull(occ);
    assertEquals(1000, occ.count("m"));
    assertFalse(occ.exists(KeyLayout.entryKey("m", u32(1))));
  }

  @Test
  void keysSentSinceTheCountRaiseTheBound() {
    estimates.counted(Map.of("m", 1000L), estimates.beforeRead(List.of("m")));
    estimates.sending(Map.of("m", 480L));
    assertNotNull(estimates.skipRead(Map.of("m", 20L), SPECS));
    assertNull(estimates.skipRead(Map.of("m", 21L), SPECS));
  }

  @Test
  void aCountIncludesOnlyBatchesSettledBeforeItWasSent() {
    estimates.counted(Map.of("m", 0L), estimates.beforeRead(List.of("m")));
    estimates.sending(Map.of("m", 300L));
    estimates.settled(Map.of("m", 300L));
    estimates.sending(Map.of("m", 200L)); // still in flight when the next count is sent
    var marks = estimates.beforeRead(List.of("m"));
    estimates.counted(Map.of("m", 300L), marks);
    assertEquals(500, estimates.skipRead(Map.of("m", 1L), SPECS).count("m"));
  }

  @Test
  void anOldCountIsRefreshedOnceInTheBackground() {
    estimates.counted(Map.of("m", 10L), estimates.beforeRead(List.of("m")));
    assertEquals(List.of(), estimates.takeStale(List.of("m"), SPECS));
    now.addAndGet(OccupancyEstimates.MAX_AGE_NANOS + 1);
    assertEquals(List.of("m"), estimates.takeStale(List.of("m"), SPECS));
    assertEquals(List.of(), estimates.takeStale(List.of("m"), SPECS), "one refresh at a time");
    assertNotNull(
        estimates.skipRead(Map.of("m", 1L), SPECS), "the old bound still serves meanwhile");
  }

  @Test
  void aCountIsRefreshedOnceOwnPutsUseHalfTheHeadroom() {
    estimates.counted(Map.of("m", 500L), estimates.beforeRead(List.of("m")));
    estimates.sending(Map.of("m", 500L)); // headroom 1600 - 100 - 500 = 1000
    assertEquals(List.of(), estimates.takeStale(List.of("m"), SPECS));
    estimates.sending(Map.of("m", 1L));
    assertEquals(List.of("m"), estimates.takeStale(List.of("m"), SPECS));
  }

  @Test
  void keysAreCountedPerMap() {
    assertEquals(
        Map.of("m", 2L, "n", 1L),
        OccupancyEstimates.keysPerMap(
            Set.of(
                KeyLayout.entryKey("m", u32(1)),
                KeyLayout.entryKey("m", u32(2)),
                KeyLayout.entryKey("n", u32(1)))));
  }
}
