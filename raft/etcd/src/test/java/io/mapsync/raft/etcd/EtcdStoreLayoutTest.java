package io.mapsync.raft.etcd;

import static io.mapsync.store.contract.Deltas.batch;
import static io.mapsync.store.contract.Deltas.put;
import static io.mapsync.store.contract.Deltas.spec;
import static io.mapsync.store.contract.Deltas.u32;
import static io.mapsync.store.contract.Deltas.u64;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.ByteString;
import io.etcd.jetcd.ByteSequence;
import io.etcd.jetcd.Client;
import io.mapsync.lab.Prerequisites;
import io.mapsync.store.ClusterStatus;
import io.mapsync.store.MemberStatus;
import io.mapsync.store.StoreException;
import io.mapsync.wire.DeltaBatch;
import io.mapsync.wire.KvCompare;
import io.mapsync.wire.KvTxn;
import io.mapsync.wire.MapSpec;
import io.mapsync.wire.MapType;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * What the etcd backend leaves in etcd, as any etcd client sees it: the documented key layout
 * behind a cluster prefix, raw BPF values, MapSpec bytes, zero-padded origin markers; plus the
 * limits it enforces before etcd would (txn op count, txn features jetcd cannot express).
 */
class EtcdStoreLayoutTest {
  @RegisterExtension static final EtcdClusterExtension ETCD = new EtcdClusterExtension(3);

  private static final MapSpec SESSIONS = spec("sessions", MapType.HASH, 4, 8, 1024);

  @Test
  void entriesSpecsAndMarkersLieWhereTheDocsSay() throws Exception {
    try (EtcdStore store = EtcdStore.open(ETCD.config().withPrefix("/clusters/lb"));
        Client raw = Client.builder().endpoints(ETCD.endpoints().toArray(String[]::new)).build()) {
      get(store.registerMap(SESSIONS));
      long rev = get(store.propose(batch("n1#1", 7, put("sessions", u32(1), u64(10))))).revision();

      assertEquals(
          u64(10), value(raw, "/clusters/lb/mapsync/maps/sessions/01000000"), "raw value bytes");
      assertEquals(
          SESSIONS.toByteString(),
          value(raw, "/clusters/lb/mapsync/specs/sessions"),
          "MapSpec bytes");
      assertEquals(
          "00000000000000000007", value(raw, "/clusters/lb/mapsync/origins/n1#1").toStringUtf8());
      var kvs = raw.getKVClient().get(seq("/clusters/lb/mapsync/origins/n1#1")).get().getKvs();
      assertEquals(rev, kvs.get(0).getModRevision(), "the marker moves in the batch's own txn");
    }
  }

  @Test
  void etcdctlListsTheReplicatedState() throws Exception {
    Path etcdctl = Prerequisites.tool("etcdctl", "Debian: apt-get install etcd-client");
    try (EtcdStore store = EtcdStore.open(ETCD.config().withPrefix("/clusters/ctl"))) {
      get(store.registerMap(SESSIONS));
      get(
          store.propose(
              batch(
                  "n2#1", 1, put("sessions", u32(2), u64(20)), put("sessions", u32(3), u64(30)))));
    }
    String out =
        run(
            etcdctl.toString(),
            "--endpoints",
            ETCD.cluster().endpoint(0),
            "get",
            "--prefix",
            "--keys-only",
            "/clusters/ctl/mapsync/maps/");
    assertEquals(
        List.of(
            "/clusters/ctl/mapsync/maps/sessions/02000000",
            "/clusters/ctl/mapsync/maps/sessions/03000000"),
        out.lines().filter(l -> !l.isBlank()).toList());
  }

  @Test
  void storesWithDifferentPrefixesDoNotSeeEachOther() throws Exception {
    try (EtcdStore a = EtcdStore.open(ETCD.config().withPrefix("/clusters/a"));
        EtcdStore b = EtcdStore.open(ETCD.config().withPrefix("/clusters/b"))) {
      get(a.registerMap(spec("only-a", MapType.HASH, 4, 4, 16)));
      get(a.propose(batch(put("only-a", u32(1), u32(1)))));
      assertEquals(List.of("only-a"), List.copyOf(get(a.readMaps(List.of())).specs().keySet()));
      assertTrue(get(b.readMaps(List.of())).specs().isEmpty());
    }
  }

  @Test
  void aBatchOverTheTxnOpLimitIsRefusedWithAHint() throws Exception {
    try (EtcdStore store = EtcdStore.open(ETCD.config().withPrefix("/clusters/big"))) {
      get(store.registerMap(spec("big", MapType.LRU_HASH, 4, 4, 100_000)));
      assertEquals(127, store.maxKeysPerBatch());
      get(store.propose(keys("big#1", 1, 127)));
      StoreException e = failure(store.propose(keys("big#1", 2, 128)));
      assertEquals(StoreException.Reason.REJECTED, e.reason());
      assertTrue(e.getMessage().contains("--max-txn-ops"), e.getMessage());
    }
  }

  @Test
  void aBoundedHashMapFillsExactlyToMaxEntries() throws Exception {
    try (EtcdStore store = EtcdStore.open(ETCD.config().withPrefix("/clusters/fill"))) {
      get(store.registerMap(spec("fill", MapType.HASH, 4, 4, 500)));
      int accepted = 0;
      int full = 0;
      for (int b = 0; b < 60; b++) {
        DeltaBatch.Builder batch = DeltaBatch.newBuilder().setOrigin("fill#1").setBatchSeq(b + 1);
        for (int i = 0; i < 10; i++) {
          batch.addDeltas(put("fill", u32(b * 10 + i), u32(i)));
        }
        var commit = get(store.propose(batch.build()));
        full += commit.rejections().size();
        accepted += 10 - commit.rejections().size();
      }
      assertEquals(500, accepted);
      assertEquals(100, full);
      assertEquals(500, get(store.readMaps(List.of("fill"))).entries("fill").size());
    }
  }

  @Test
  void txnFeaturesJetcdCannotExpressAreRefused() throws Exception {
    try (EtcdStore store = EtcdStore.open(ETCD.config().withPrefix("/clusters/txn"))) {
      KvCompare overARange =
          KvCompare.newBuilder()
              .setKey(ByteString.copyFromUtf8("a"))
              .setRangeEnd(ByteString.copyFromUtf8("b"))
              .setTarget(KvCompare.Target.VERSION)
              .build();
      StoreException e = failure(store.txn(KvTxn.newBuilder().addCompare(overARange).build()));
      assertEquals(StoreException.Reason.REJECTED, e.reason());
    }
  }

  @Test
  void statusListsEveryMemberAndTheLeader() throws Exception {
    try (EtcdStore store = EtcdStore.open(ETCD.config())) {
      ClusterStatus status = get(store.status());
      assertEquals("etcd", status.backend());
      assertEquals(
          ETCD.cluster().names(),
          status.members().stream().map(MemberStatus::id).sorted().toList());
      assertEquals(
          1,
          status.members().stream().filter(m -> m.role().equals("LEADER")).count(),
          status.toString());
      assertTrue(ETCD.cluster().names().contains(status.leader()), status.toString());
      assertTrue(
          status.term() > 0 && status.members().stream().allMatch(m -> m.appliedIndex() > 0),
          status.toString());
    }
  }

  private static DeltaBatch keys(String origin, long seq, int n) {
    DeltaBatch.Builder b = DeltaBatch.newBuilder().setOrigin(origin).setBatchSeq(seq);
    for (int i = 0; i < n; i++) {
      b.addDeltas(put("big", u32(i), u32(i)));
    }
    return b.build();
  }

  private static ByteString value(Client raw, String key) throws Exception {
    return ByteString.copyFrom(
        raw.getKVClient()
            .get(seq(key))
            .get(10, TimeUnit.SECONDS)
            .getKvs()
            .get(0)
            .getValue()
            .getBytes());
  }

  private static ByteSequence seq(String key) {
    return ByteSequence.from(key, StandardCharsets.UTF_8);
  }

  private static String run(String... command) throws IOException, InterruptedException {
    ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true);
    pb.environment().keySet().removeIf(k -> k.startsWith("ETCD"));
    pb.environment().put("ETCDCTL_API", "3");
    Process p = pb.start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(p.waitFor(30, TimeUnit.SECONDS) && p.exitValue() == 0, "etcdctl failed: " + out);
    return out;
  }

  private static <T> T get(CompletableFuture<T> f) throws Exception {
    return f.get(30, TimeUnit.SECONDS);
  }

  private static StoreException failure(CompletableFuture<?> f) {
    ExecutionException e =
        assertThrows(ExecutionException.class, () -> f.get(30, TimeUnit.SECONDS));
    return assertInstanceOf(StoreException.class, e.getCause());
  }
}
