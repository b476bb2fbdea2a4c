package io.mapsync.raft.etcdapi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.etcd.jetcd.ByteSequence;
import io.etcd.jetcd.Client;
import io.etcd.jetcd.KV;
import io.etcd.jetcd.KeyValue;
import io.etcd.jetcd.Watch;
import io.etcd.jetcd.common.exception.CompactedException;
import io.etcd.jetcd.common.exception.EtcdException;
import io.etcd.jetcd.kv.GetResponse;
import io.etcd.jetcd.kv.PutResponse;
import io.etcd.jetcd.kv.TxnResponse;
import io.etcd.jetcd.lease.LeaseKeepAliveResponse;
import io.etcd.jetcd.op.Cmp;
import io.etcd.jetcd.op.CmpTarget;
import io.etcd.jetcd.op.Op;
import io.etcd.jetcd.options.DeleteOption;
import io.etcd.jetcd.options.GetOption;
import io.etcd.jetcd.options.LeaseOption;
import io.etcd.jetcd.options.PutOption;
import io.etcd.jetcd.options.WatchOption;
import io.etcd.jetcd.support.CloseableClient;
import io.etcd.jetcd.watch.WatchEvent;
import io.etcd.jetcd.watch.WatchResponse;
import io.grpc.Status;
import io.grpc.stub.StreamObserver;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * jetcd, the Java etcd client, against the facade: KV, Watch (including a resume after a
 * compaction) and Lease (keep-alive, expiry). A backend runs it by extending this class.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@SuppressWarnings(
    "try") // watchers and keep-alives are held open by try-with-resources, not used by name
abstract class JetcdSuite {
  private static final long WAIT_SECONDS = 20;
  protected FacadeCluster cluster;
  protected Client client;
  protected KV kv;

  protected abstract FacadeCluster openCluster() throws Exception;

  /** The member jetcd talks to; a subclass may pick a follower to exercise forwarding. */
  protected String clientEndpoint() {
    return cluster.leaderEndpoint();
  }

  @BeforeAll
  void open() throws Exception {
    cluster = openCluster();
    client = Client.builder().endpoints(clientEndpoint()).build();
    kv = client.getKVClient();
  }

  @AfterAll
  void close() {
    if (client != null) {
      client.close();
    }
    if (cluster != null) {
      cluster.close();
    }
  }

  static ByteSequence bs(String s) {
    return ByteSequence.from(s, StandardCharsets.UTF_8);
  }

  static String str(ByteSequence b) {
    return b.toString(StandardCharsets.UTF_8);
  }

  static <T> T await(CompletableFuture<T> f) throws Exception {
    return f.get(WAIT_SECONDS, TimeUnit.SECONDS);
  }

  private static List<String> keys(GetResponse r) {
    return r.getKvs().stream().map(kv -> str(kv.getKey())).toList();
  }

  @Test
  void kvReadsWritesAndHeaders() throws Exception {
    PutResponse first = await(kv.put(bs("kv/a"), bs("1")));
    await(kv.put(bs("kv/b"), bs("2")));
    await(kv.put(bs("kv/c"), bs("3")));
    PutResponse again =
        await(kv.put(bs("kv/a"), bs("4"), PutOption.builder().withPrevKV().build()));
    assertEquals("1", str(again.getPrevKv().getValue()));
    assertEquals(
        MemberIds.memberId(cluster.memberAt(clientEndpoint()).self().id()),
        again.getHeader().getMemberId());
    assertTrue(again.getHeader().getRevision() > first.getHeader().getRevision());

    KeyValue a = await(kv.get(bs("kv/a"))).getKvs().get(0);
    assertEquals(again.getHeader().getRevision(), a.getModRevision());
    assertEquals(first.getHeader().getRevision(), a.getCreateRevision());
    assertEquals(2, a.getVersion());

    GetOption prefix = GetOption.builder().isPrefix(true).build();
    assertEquals(List.of("kv/a", "kv/b", "kv/c"), keys(await(kv.get(bs("kv/"), prefix))));
    GetResponse counted =
        await(kv.get(bs("kv/"), GetOption.builder().isPrefix(true).withCountOnly(true).build()));
    assertEquals(3, counted.getCount());
    assertTrue(counted.getKvs().isEmpty());
    GetResponse keysOnly =
        await(kv.get(bs("kv/"), GetOption.builder().isPrefix(true).withKeysOnly(true).build()));
    assertTrue(keysOnly.getKvs().stream().allMatch(kv -> kv.getValue().isEmpty()));
    GetResponse newest =
        await(
            kv.get(
                bs("kv/"),
                GetOption.builder()
                    .isPrefix(true)
                    .withLimit(2)
                    .withSortField(GetOption.SortTarget.MOD)
                    .withSortOrder(GetOption.SortOrder.DESCEND)
                    .build()));
    assertEquals(List.of("kv/a", "kv/c"), keys(newest));
    assertTrue(newest.isMore());
    GetResponse serializable =
        await(kv.get(bs("kv/b"), GetOption.builder().withSerializable(true).build()));
    assertEquals("2", str(serializable.getKvs().get(0).getValue()));
    GetResponse past =
        await(
            kv.get(
                bs("kv/a"),
                GetOption.builder().withRevision(first.getHeader().getRevision()).build()));
    assertEquals("1", str(past.getKvs().get(0).getValue()));

    var deleted =
        await(kv.delete(bs("kv/"), DeleteOption.builder().isPrefix(true).withPrevKV(true).build()));
    assertEquals(3, deleted.getDeleted());
    assertEquals(
        List.of("4", "2", "3"),
        deleted.getPrevKvs().stream().map(kv -> str(kv.getValue())).toList());
  }

  @Test
  void txnComparesValueVersionAndRevisionsAndNests() throws Exception {
    await(kv.put(bs("txn/k"), bs("a")));
    TxnResponse swapped =
        await(
            kv.txn()
                .If(
                    new Cmp(bs("txn/k"), Cmp.Op.EQUAL, CmpTarget.value(bs("a"))),
                    new Cmp(bs("txn/k"), Cmp.Op.EQUAL, CmpTarget.version(1)),
                    new Cmp(bs("txn/k"), Cmp.Op.GREATER, CmpTarget.modRevision(0)))
                .Then(
                    Op.put(bs("txn/k"), bs("b"), PutOption.DEFAULT),
                    Op.get(bs("txn/k"), GetOption.DEFAULT))
                .Else(Op.put(bs("txn/else"), bs("x"), PutOption.DEFAULT))
                .commit());
    assertTrue(swapped.isSucceeded());
    assertEquals("b", str(swapped.getGetResponses().get(0).getKvs().get(0).getValue()));

    TxnResponse nested =
        await(
            kv.txn()
                .If(new Cmp(bs("txn/k"), Cmp.Op.EQUAL, CmpTarget.value(bs("a"))))
                .Else(
                    Op.txn(
                        new Cmp[] {
                          new Cmp(bs("txn/none"), Cmp.Op.EQUAL, CmpTarget.createRevision(0))
                        },
                        new Op[] {Op.put(bs("txn/none"), bs("created"), PutOption.DEFAULT)},
                        new Op[] {}))
                .commit());
    assertFalse(nested.isSucceeded());
    assertTrue(nested.getTxnResponses().get(0).isSucceeded());
    assertEquals("created", str(await(kv.get(bs("txn/none"))).getKvs().get(0).getValue()));
  }

  /** jetcd's KV client hands gRPC's status through as it came, so the status itself is checked. */
  @Test
  void errorsCarryEtcdsCodesAndMessages() {
    Status noLease =
        failure(kv.put(bs("err/k"), bs("v"), PutOption.builder().withLeaseId(0x7777).build()));
    assertEquals(Status.Code.NOT_FOUND, noLease.getCode());
    assertEquals("etcdserver: requested lease not found", noLease.getDescription());
    Status future =
        failure(kv.get(bs("err/k"), GetOption.builder().withRevision(1L << 40).build()));
    assertEquals(Status.Code.OUT_OF_RANGE, future.getCode());
    assertEquals(
        "etcdserver: mvcc: required revision is a future revision", future.getDescription());
  }

  private static Status failure(CompletableFuture<?> call) {
    ExecutionException e =
        assertThrows(ExecutionException.class, () -> call.get(WAIT_SECONDS, TimeUnit.SECONDS));
    return Status.fromThrowable(e.getCause());
  }

  @Test
  void watchFromAPastRevisionWithPrefixPrevKvAndFilters() throws Exception {
    long from = await(kv.put(bs("w/1"), bs("a"))).getHeader().getRevision();
    await(kv.put(bs("w/1"), bs("b")));
    await(kv.delete(bs("w/1")));
    await(kv.put(bs("other"), bs("x")));

    Recorder all = new Recorder();
    Recorder putsOnly = new Recorder();
    try (Watch.Watcher w1 =
            client
                .getWatchClient()
                .watch(
                    bs("w/"),
                    WatchOption.builder()
                        .isPrefix(true)
                        .withRevision(from)
                        .withPrevKV(true)
                        .build(),
                    all);
        Watch.Watcher w2 =
            client
                .getWatchClient()
                .watch(
                    bs("w/"),
                    WatchOption.builder()
                        .isPrefix(true)
                        .withRevision(from)
                        .withNoDelete(true)
                        .build(),
                    putsOnly)) {
      List<WatchEvent> events = all.events(3);
      assertEquals(
          List.of(WatchEvent.EventType.PUT, WatchEvent.EventType.PUT, WatchEvent.EventType.DELETE),
          events.stream().map(WatchEvent::getEventType).toList());
      assertEquals("a", str(events.get(1).getPrevKV().getValue()));
      assertEquals("b", str(events.get(2).getPrevKV().getValue()));
      await(kv.put(bs("w/2"), bs("c")));
      assertEquals("w/2", str(all.events(1).get(0).getKeyValue().getKey()));
      assertEquals(
          List.of("a", "b", "c"),
          putsOnly.events(3).stream().map(e -> str(e.getKeyValue().getValue())).toList());
    }
  }

  @Test
  void aWatchToldItsRevisionIsCompactedResumesFromTheCompactRevision() throws Exception {
    long first = 0;
    long fourth = 0;
    for (int i = 1; i <= 5; i++) {
      long rev = await(kv.put(bs("compacted/k"), bs("v" + i))).getHeader().getRevision();
      first = i == 1 ? rev : first;
      fourth = i == 4 ? rev : fourth;
    }
    await(kv.compact(fourth));

    Recorder stale = new Recorder();
    try (Watch.Watcher w =
        client
            .getWatchClient()
            .watch(bs("compacted/k"), WatchOption.builder().withRevision(first).build(), stale)) {
      CompactedException compacted = assertInstanceOf(CompactedException.class, stale.error());
      assertEquals(fourth, compacted.getCompactedRevision());
    }
    Recorder resumed = new Recorder();
    try (Watch.Watcher w =
        client
            .getWatchClient()
            .watch(
                bs("compacted/k"),
                WatchOption.builder()
                    .withRevision(((CompactedException) stale.error()).getCompactedRevision())
                    .build(),
                resumed)) {
      assertEquals(
          List.of("v4", "v5"),
          resumed.events(2).stream().map(e -> str(e.getKeyValue().getValue())).toList());
    }
  }

  @Test
  void progressArrivesOnRequestAndPeriodically() throws Exception {
    long written = await(kv.put(bs("progress/k"), bs("v"))).getHeader().getRevision();
    Recorder notified = new Recorder();
    Watch watch = client.getWatchClient();
    try (Watch.Watcher w =
        watch.watch(
            bs("progress/"),
            WatchOption.builder().isPrefix(true).withProgressNotify(true).build(),
            notified)) {
      WatchResponse periodic = notified.progress();
      assertTrue(periodic.getHeader().getRevision() >= written);
      w.requestProgress();
      assertTrue(notified.progress().getHeader().getRevision() >= written);
    }
  }

  @Test
  void keepAliveKeepsALeaseAndExpiryDeletesItsKeys() throws Exception {
    var lease = client.getLeaseClient();
    long kept = await(lease.grant(2)).getID();
    long left = await(lease.grant(2)).getID();
    await(kv.put(bs("lease/kept"), bs("v"), PutOption.builder().withLeaseId(kept).build()));
    await(kv.put(bs("lease/left"), bs("v"), PutOption.builder().withLeaseId(left).build()));
    var ttl = await(lease.timeToLive(kept, LeaseOption.builder().withAttachedKeys().build()));
    assertEquals(2, ttl.getGrantedTTL());
    assertEquals(List.of("lease/kept"), ttl.getKeys().stream().map(JetcdSuite::str).toList());

    BlockingQueue<LeaseKeepAliveResponse> acks = new LinkedBlockingQueue<>();
    try (CloseableClient keepAlive = lease.keepAlive(kept, collecting(acks))) {
      assertEquals(2, acks.poll(WAIT_SECONDS, TimeUnit.SECONDS).getTTL());
      awaitGone("lease/left", Duration.ofSeconds(8));
      // The other lease has lived past its TTL on keep-alives.
      Thread.sleep(500);
      assertEquals(1, await(kv.get(bs("lease/kept"))).getCount());
    }
    awaitGone("lease/kept", Duration.ofSeconds(8));
    assertEquals(-1, await(lease.timeToLive(kept, LeaseOption.DEFAULT)).getTTL());
    EtcdException gone =
        assertInstanceOf(
            EtcdException.class,
            assertThrows(ExecutionException.class, () -> await(lease.keepAliveOnce(left)))
                .getCause());
    assertTrue(gone.getMessage().contains("requested lease not found"), gone.getMessage());
  }

  private void awaitGone(String key, Duration timeout) throws Exception {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (await(kv.get(bs(key))).getCount() > 0) {
      assertTrue(System.nanoTime() < deadline, key + " still exists after " + timeout);
      Thread.sleep(100);
    }
  }

  private static <T> StreamObserver<T> collecting(BlockingQueue<T> into) {
    return new StreamObserver<>() {
      @Override
      public void onNext(T value) {
        into.add(value);
      }

      @Override
      public void onError(Throwable t) {}

      @Override
      public void onCompleted() {}
    };
  }

  /** Collects what a jetcd watch delivers. */
  static final class Recorder implements Watch.Listener {
    private final BlockingQueue<WatchEvent> events = new LinkedBlockingQueue<>();
    private final BlockingQueue<WatchResponse> progress = new LinkedBlockingQueue<>();
    private final CompletableFuture<Throwable> error = new CompletableFuture<>();

    @Override
    public void onNext(WatchResponse response) {
      if (response.isProgressNotify()) {
        progress.add(response);
      }
      events.addAll(response.getEvents());
    }

    @Override
    public void onError(Throwable throwable) {
      error.complete(throwable);
    }

    @Override
    public void onCompleted() {}

    List<WatchEvent> events(int n) throws InterruptedException {
      List<WatchEvent> out = new java.util.ArrayList<>();
      while (out.size() < n) {
        WatchEvent e = events.poll(WAIT_SECONDS, TimeUnit.SECONDS);
        assertTrue(e != null, "only " + out.size() + " of " + n + " events arrived");
        out.add(e);
      }
      return out;
    }

    WatchResponse progress() throws InterruptedException {
      WatchResponse r = progress.poll(WAIT_SECONDS, TimeUnit.SECONDS);
      assertTrue(r != null, "no progress notification arrived");
      return r;
    }

    Throwable error() throws Exception {
      return error.get(WAIT_SECONDS, TimeUnit.SECONDS);
    }
  }
}
