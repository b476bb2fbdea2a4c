package io.mapsync.raft.etcdapi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.ByteString;
import com.google.protobuf.UnknownFieldSet;
import io.etcd.jetcd.api.CompactionRequest;
import io.etcd.jetcd.api.DeleteRangeRequest;
import io.etcd.jetcd.api.Event;
import io.etcd.jetcd.api.PutRequest;
import io.etcd.jetcd.api.WatchCancelRequest;
import io.etcd.jetcd.api.WatchCreateRequest;
import io.etcd.jetcd.api.WatchProgressRequest;
import io.etcd.jetcd.api.WatchRequest;
import io.etcd.jetcd.api.WatchResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The Watch stream at the protocol level: several watches per stream, ids, cancel, progress, flow
 * control.
 */
class WatchStreamTest {
  private InMemoryFacadeCluster cluster;
  private RawClient client;

  @BeforeEach
  void start() {
    cluster = new InMemoryFacadeCluster(1, InMemoryFacadeCluster.fastOptions());
    client = new RawClient(cluster.leaderEndpoint());
  }

  @AfterEach
  void stop() {
    client.close();
    cluster.close();
  }

  private static ByteString bs(String s) {
    return ByteString.copyFromUtf8(s);
  }

  private long put(String key, String value) {
    return client
        .kv()
        .put(PutRequest.newBuilder().setKey(bs(key)).setValue(bs(value)).build())
        .getHeader()
        .getRevision();
  }

  /** Writes straight into the store: thousands of writes without thousands of round trips. */
  private long putInProcess(String key, String value) {
    var put = io.mapsync.wire.KvPut.newBuilder().setKey(bs(key)).setValue(bs(value));
    var txn =
        io.mapsync.wire.KvTxn.newBuilder()
            .addSuccess(io.mapsync.wire.KvOp.newBuilder().setPut(put))
            .build();
    return cluster
        .leader()
        .append(io.mapsync.wire.LogEntry.newBuilder().setTxn(txn).build())
        .join()
        .getRevision();
  }

  private static WatchRequest create(WatchCreateRequest.Builder c) {
    return WatchRequest.newBuilder().setCreateRequest(c).build();
  }

  @Test
  void severalWatchesShareAStreamEachWithItsIdRangeAndFilters() throws Exception {
    try (RawClient.WatchStream stream = client.watch()) {
      stream.send(create(WatchCreateRequest.newBuilder().setKey(bs("a"))));
      stream.send(
          create(
              WatchCreateRequest.newBuilder()
                  .setKey(bs("p/"))
                  .setRangeEnd(bs("p0"))
                  .addFilters(WatchCreateRequest.FilterType.NOPUT)
                  .setPrevKv(true)));
      stream.send(create(WatchCreateRequest.newBuilder().setKey(bs("r/a")).setRangeEnd(bs("r/c"))));
      List<WatchResponse> created = stream.next(3);
      assertEquals(List.of(0L, 1L, 2L), created.stream().map(WatchResponse::getWatchId).toList());
      assertTrue(created.stream().allMatch(WatchResponse::getCreated));

      put("a", "1");
      put("p/1", "x");
      client.kv().deleteRange(DeleteRangeRequest.newBuilder().setKey(bs("p/1")).build());
      put("r/b", "2");
      put("r/c", "outside");
      // Each watch delivers in log order; different watches of a stream may interleave.
      Map<Long, WatchResponse> byWatch = new TreeMap<>();
      stream.next(3).forEach(r -> byWatch.put(r.getWatchId(), r));
      assertEquals(Set.of(0L, 1L, 2L), byWatch.keySet());
      assertEquals("a", byWatch.get(0L).getEvents(0).getKv().getKey().toStringUtf8());
      Event deleted = byWatch.get(1L).getEvents(0);
      assertEquals(Event.EventType.DELETE, deleted.getType());
      assertEquals("x", deleted.getPrevKv().getValue().toStringUtf8());
      assertEquals("r/b", byWatch.get(2L).getEvents(0).getKv().getKey().toStringUtf8());
      assertTrue(
          stream.quietFor(Duration.ofMillis(300)),
          "r/c is outside [r/a, r/c) and puts to p/ are filtered");
    }
  }

  @Test
  void cancelEndsOneWatchAndLeavesTheOthers() throws Exception {
    try (RawClient.WatchStream stream = client.watch()) {
      stream.send(create(WatchCreateRequest.newBuilder().setKey(bs("k1"))));
      stream.send(create(WatchCreateRequest.newBuilder().setKey(bs("k2"))));
      stream.next(2);
      stream.send(
          WatchRequest.newBuilder()
              .setCancelRequest(WatchCancelRequest.newBuilder().setWatchId(0))
              .build());
      WatchResponse canceled = stream.next();
      assertTrue(canceled.getCanceled());
      assertEquals(0, canceled.getWatchId());
      put("k1", "after");
      put("k2", "still");
      WatchResponse next = stream.next();
      assertEquals(1, next.getWatchId());
      assertEquals("k2", next.getEvents(0).getKv().getKey().toStringUtf8());
      assertTrue(stream.quietFor(Duration.ofMillis(300)));
    }
  }

  @Test
  void aProgressRequestIsAnsweredForTheWholeStream() throws Exception {
    try (RawClient.WatchStream stream = client.watch()) {
      stream.send(create(WatchCreateRequest.newBuilder().setKey(bs("k"))));
      stream.next();
      long event = put("k", "v");
      long latest = put("unwatched", "v");
      stream.next();
      // The watch passes the unwatched revision asynchronously: progress may lag, never lead.
      long progressed = 0;
      for (int i = 0; i < 100 && progressed < latest; i++) {
        stream.send(
            WatchRequest.newBuilder()
                .setProgressRequest(WatchProgressRequest.getDefaultInstance())
                .build());
        WatchResponse progress = stream.next();
        assertEquals(-1, progress.getWatchId());
        assertEquals(0, progress.getEventsCount());
        assertFalse(progress.getCreated() || progress.getCanceled());
        progressed = progress.getHeader().getRevision();
        assertTrue(progressed >= event && progressed <= latest, "progress " + progressed);
        Thread.sleep(10);
      }
      assertEquals(latest, progressed);
    }
  }

  @Test
  void aWatchStartingInTheFutureWaitsAndClaimsNoProgressBeyondNow() throws Exception {
    long now = put("later", "0");
    try (RawClient.WatchStream stream = client.watch()) {
      stream.send(
          create(WatchCreateRequest.newBuilder().setKey(bs("later")).setStartRevision(now + 3)));
      stream.next();
      stream.send(
          WatchRequest.newBuilder()
              .setProgressRequest(WatchProgressRequest.getDefaultInstance())
              .build());
      assertEquals(now, stream.next().getHeader().getRevision());
      put("later", "1");
      put("later", "2");
      long third = put("later", "3");
      WatchResponse first = stream.next();
      assertEquals(third, first.getHeader().getRevision());
      assertEquals("3", first.getEvents(0).getKv().getValue().toStringUtf8());
    }
  }

  @Test
  void aClientMayChooseWatchIdsButNotReuseOne() throws Exception {
    WatchCreateRequest.Builder withId =
        WatchCreateRequest.newBuilder()
            .setKey(bs("k"))
            .setUnknownFields(
                UnknownFieldSet.newBuilder()
                    .addField(7, UnknownFieldSet.Field.newBuilder().addVarint(42).build())
                    .build());
    try (RawClient.WatchStream stream = client.watch()) {
      stream.send(create(withId));
      WatchResponse created = stream.next();
      assertEquals(42, created.getWatchId());
      assertFalse(created.getCanceled());
      stream.send(create(withId));
      WatchResponse refused = stream.next();
      assertTrue(refused.getCreated() && refused.getCanceled());
      assertTrue(
          refused.getCancelReason().contains("duplicate watch ID"), refused.getCancelReason());
    }
  }

  @Test
  void aCompactedStartRevisionIsAnsweredWithTheOldestWatchableRevision() throws Exception {
    long first = put("c", "1");
    put("c", "2");
    long third = put("c", "3");
    client.kv().compact(CompactionRequest.newBuilder().setRevision(third).build());
    try (RawClient.WatchStream stream = client.watch()) {
      stream.send(create(WatchCreateRequest.newBuilder().setKey(bs("c")).setStartRevision(first)));
      assertTrue(stream.next().getCreated());
      WatchResponse compacted = stream.next();
      assertTrue(compacted.getCanceled());
      assertEquals(third, compacted.getCompactRevision());
      assertEquals(EtcdApiErrors.COMPACTED_MESSAGE, compacted.getCancelReason());

      stream.send(create(WatchCreateRequest.newBuilder().setKey(bs("c")).setStartRevision(third)));
      assertTrue(stream.next().getCreated());
      assertEquals("3", stream.next().getEvents(0).getKv().getValue().toStringUtf8());
    }
  }

  @Test
  void periodicProgressNotifiesOnlyWatchesThatAskedAndWereQuiet() throws Exception {
    long written = put("quiet", "v");
    try (RawClient.WatchStream stream = client.watch()) {
      stream.send(
          create(WatchCreateRequest.newBuilder().setKey(bs("quiet")).setProgressNotify(true)));
      stream.send(create(WatchCreateRequest.newBuilder().setKey(bs("silent"))));
      // Two ticks' worth; a tick may fall between the creates, so created responses are skipped.
      List<WatchResponse> progress = new ArrayList<>();
      while (progress.size() < 2) {
        WatchResponse r = stream.next();
        if (!r.getCreated()) {
          progress.add(r);
        }
      }
      for (WatchResponse r : progress) {
        assertEquals(0, r.getWatchId(), "only the watch that asked hears progress");
        assertEquals(0, r.getEventsCount());
        assertEquals(written, r.getHeader().getRevision());
      }
    }
  }

  /**
   * A client that stops reading makes the stream's buffer fill; its watch pauses and later replays
   * from the replica's history, so the client still sees every revision once, in order.
   */
  @Test
  void aSlowReaderPausesItsWatchAndStillGetsEveryEventInOrder() throws Exception {
    String value = "x".repeat(1024);
    long first = putInProcess("slow/0", value);
    for (int i = 1; i < 3000; i++) {
      putInProcess("slow/" + i, value);
    }
    try (RawClient slowClient = RawClient.withSmallWindow(cluster.leaderEndpoint(), 64 * 1024)) {
      SlowReader reader = new SlowReader();
      var requests = io.etcd.jetcd.api.WatchGrpc.newStub(slowClient.channel).watch(reader);
      requests.onNext(
          create(
              WatchCreateRequest.newBuilder()
                  .setKey(bs("slow/"))
                  .setRangeEnd(bs("slow0"))
                  .setStartRevision(first)));
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
      while (cluster.servers().get(0).watchPauses() == 0) {
        assertTrue(
            System.nanoTime() < deadline,
            "the watch never paused; the test did not test flow control");
        Thread.sleep(20);
      }
      // Written while the watch is paused: the resumed watch must pick these up from history too.
      for (int i = 3000; i < 3100; i++) {
        putInProcess("slow/" + i, value);
      }
      reader.readAll();
      List<Long> revisions = reader.awaitEvents(3100);
      for (int i = 1; i < revisions.size(); i++) {
        assertEquals(revisions.get(i - 1) + 1, revisions.get(i), "gap or duplicate at event " + i);
      }
      requests.onError(new RuntimeException("test done"));
    }
  }

  /** A watch client that reads one message, then nothing until told to read everything. */
  private static final class SlowReader
      implements io.grpc.stub.ClientResponseObserver<WatchRequest, WatchResponse> {
    private final List<Long> revisions = new ArrayList<>();
    private io.grpc.stub.ClientCallStreamObserver<WatchRequest> call;

    @Override
    public void beforeStart(io.grpc.stub.ClientCallStreamObserver<WatchRequest> requestStream) {
      call = requestStream;
      call.disableAutoRequestWithInitial(1);
    }

    void readAll() {
      call.request(Integer.MAX_VALUE);
    }

    @Override
    public synchronized void onNext(WatchResponse response) {
      response.getEventsList().forEach(e -> revisions.add(e.getKv().getModRevision()));
      notifyAll();
    }

    synchronized List<Long> awaitEvents(int n) throws InterruptedException {
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
      while (revisions.size() < n && System.nanoTime() < deadline) {
        wait(200);
      }
      assertEquals(n, revisions.size());
      return new ArrayList<>(revisions);
    }

    @Override
    public void onError(Throwable t) {}

    @Override
    public void onCompleted() {}
  }
}
