package io.mapsync.raft.etcdapi;

import static io.mapsync.store.contract.Deltas.batch;
import static io.mapsync.store.contract.Deltas.put;
import static io.mapsync.store.contract.Deltas.spec;
import static io.mapsync.store.contract.Deltas.u32;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.ByteString;
import io.mapsync.wire.MapSpec;
import io.mapsync.wire.MapType;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Replicated BPF map state as etcdctl sees it: specs and entries under /mapsync/. */
class EtcdctlMapStateTest {
  private InMemoryFacadeCluster cluster;
  private Etcdctl ctl;

  @BeforeEach
  void start() {
    cluster = new InMemoryFacadeCluster(1, InMemoryFacadeCluster.fastOptions());
    ctl = Etcdctl.against(cluster.leaderEndpoint());
  }

  @AfterEach
  void stop() {
    cluster.close();
  }

  @Test
  void aSpecPutRegistersAMapAndItsEntriesShowUnderMaps() throws Exception {
    // Values with any bytes reach etcdctl put on stdin; 128 encodes with a high bit set.
    MapSpec flows = spec("flows", MapType.HASH, 4, 4, 128);
    ctl.runWithInput(flows.toByteArray(), "put", "/mapsync/specs/flows").ok();
    assertEquals(flows, cluster.leader().localState().specs().get("flows"));

    cluster
        .leader()
        .store()
        .propose(batch(put("flows", u32(1), ByteString.copyFromUtf8("abcd"))))
        .get();
    assertEquals(
        List.of("/mapsync/maps/flows/01000000", "abcd"),
        ctl.run("get", "--prefix", "/mapsync/maps/").ok().out().lines().toList());

    ctl.run("put", "/mapsync/maps/flows/02000000", "wxyz").ok();
    var entries = cluster.leader().localState().readMaps(List.of("flows")).entries("flows");
    assertEquals(List.of(u32(1), u32(2)), entries.stream().map(e -> e.key()).toList());

    Etcdctl.Result wrongSize = ctl.run("put", "/mapsync/maps/flows/03000000", "abc");
    assertNotEquals(0, wrongSize.exit());
    assertTrue(wrongSize.err().contains("takes 4-byte values"), wrongSize.err());
    Etcdctl.Result respec =
        ctl.runWithInput(
            flows.toBuilder().setMaxEntries(65).build().toByteArray(),
            "put",
            "/mapsync/specs/flows");
    assertTrue(respec.err().contains("already registered with a different spec"), respec.err());
    Etcdctl.Result wipe = ctl.run("del", "--prefix", "/mapsync/");
    assertTrue(wipe.err().contains("reserved by mapsync"), wipe.err());
    assertEquals(
        2, cluster.leader().localState().readMaps(List.of("flows")).entries("flows").size());
  }
}
