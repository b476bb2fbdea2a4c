package io.mapsync.raft.etcdapi;

import com.google.protobuf.ByteString;
import io.etcd.jetcd.api.Event;
import io.etcd.jetcd.api.WatchCreateRequest;
import io.etcd.jetcd.api.WatchRequest;
import io.etcd.jetcd.api.WatchResponse;
import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.StreamObserver;
import io.mapsync.store.StoreException;
import io.mapsync.store.state.ReplicaState;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One Watch stream: the watches a client created on it, keyed by watch id, and the single send path
 * they share (gRPC allows one writer at a time). Events come from this member's replica, so a
 * client sees what this member has applied, in log order.
 */
final class WatchSession implements StreamObserver<WatchRequest> {
  private static final Logger LOG = LoggerFactory.getLogger(WatchSession.class);

  /**
   * etcd 3.4's WatchCreateRequest.watch_id; jetcd-grpc's proto lacks it, so it is an unknown field.
   */
  private static final int WATCH_ID_FIELD = 7;

  /** etcd answers a progress request with this id: it speaks for every watch of the stream. */
  private static final long ALL_WATCHES = -1;

  private static final ByteString SMALLEST_KEY = ByteString.copyFrom(new byte[] {0});

  /**
   * Bytes the stream may buffer before its watches pause; large enough that a burst rarely pauses.
   */
  private static final int SEND_BUFFER_BYTES = 1 << 20;

  private final ServerCallStreamObserver<WatchResponse> out;
  private final ReplicaState local;
  private final ResponseHeaders headers;
  private final Runnable onPause;
  private final Consumer<WatchSession> onEnd;
  private final Map<Long, StreamWatch> watches = new ConcurrentHashMap<>();

  /** Touched only by inbound messages, which gRPC delivers one at a time. */
  private long nextWatchId;

  private boolean ended;

  WatchSession(
      StreamObserver<WatchResponse> out,
      ReplicaState local,
      ResponseHeaders headers,
      Runnable onPause,
      Consumer<WatchSession> onEnd) {
    this.out = (ServerCallStreamObserver<WatchResponse>) out;
    this.local = local;
    this.headers = headers;
    this.onPause = onPause;
    this.onEnd = onEnd;
    this.out.setOnReadyThreshold(SEND_BUFFER_BYTES);
    this.out.setOnCancelHandler(this::end);
    this.out.setOnReadyHandler(() -> watches.values().forEach(StreamWatch::resumeIfPaused));
  }

  ReplicaState local() {
    return local;
  }

  boolean ready() {
    return out.isReady();
  }

  /** A watch of this stream stopped for a slow client. */
  void paused() {
    onPause.run();
  }

  @Override
  public void onNext(WatchRequest request) {
    switch (request.getRequestUnionCase()) {
      case CREATE_REQUEST -> create(request.getCreateRequest());
      case CANCEL_REQUEST -> cancel(request.getCancelRequest().getWatchId());
      case PROGRESS_REQUEST -> progressForAll();
      // Like etcd, a request this server does not know leaves the stream and its watches alone.
      default -> LOG.debug("ignoring an empty or unknown watch request");
    }
  }

  @Override
  public void onError(Throwable t) {
    end();
  }

  /** A client that half-closes keeps receiving events until it cancels, as with etcd. */
  @Override
  public void onCompleted() {}

  private void create(WatchCreateRequest c) {
    long asked = askedWatchId(c);
    if (asked > 0 && watches.containsKey(asked)) {
      send(
          WatchResponse.newBuilder()
              .setHeader(headers.at(local.revision()))
              .setWatchId(asked)
              .setCreated(true)
              .setCanceled(true)
              .setCancelReason("mvcc: duplicate watch ID provided on the WatchStream")
              .build());
      return;
    }
    long id = asked > 0 ? asked : freeWatchId();
    List<WatchCreateRequest.FilterType> filters = c.getFiltersList();
    long current = local.revision();
    long from = c.getStartRevision() > 0 ? c.getStartRevision() : current + 1;
    StreamWatch watch =
        new StreamWatch(
            this,
            id,
            c.getKey().isEmpty() ? SMALLEST_KEY : c.getKey(),
            c.getRangeEnd(),
            from,
            c.getPrevKv(),
            filters.contains(WatchCreateRequest.FilterType.NOPUT),
            filters.contains(WatchCreateRequest.FilterType.NODELETE),
            c.getProgressNotify());
    watches.put(id, watch);
    // "created" goes out before the watch can produce anything, so clients learn the id first.
    send(
        WatchResponse.newBuilder()
            .setHeader(headers.at(current))
            .setWatchId(id)
            .setCreated(true)
            .build());
    watch.start();
    if (isEnded()) {
      // The stream was cancelled meanwhile and its cleanup may have missed this watch.
      watches.remove(id);
      watch.close();
    }
  }

  private synchronized boolean isEnded() {
    return ended;
  }

  private long freeWatchId() {
    while (watches.containsKey(nextWatchId)) {
      nextWatchId++;
    }
    return nextWatchId++;
  }

  private static long askedWatchId(WatchCreateRequest c) {
    List<Long> ids = c.getUnknownFields().getField(WATCH_ID_FIELD).getVarintList();
    return ids.isEmpty() ? 0 : ids.get(ids.size() - 1);
  }

  private void cancel(long id) {
    StreamWatch watch = watches.remove(id);
    if (watch == null) {
      return;
    }
    watch.close();
    send(
        WatchResponse.newBuilder()
            .setHeader(headers.at(local.revision()))
            .setWatchId(id)
            .setCanceled(true)
            .build());
  }

  /** A progress request: the revision every watch of the stream has sent everything up to. */
  private void progressForAll() {
    long revision =
        watches.values().stream()
            .mapToLong(StreamWatch::progressRevision)
            .filter(r -> r >= 0)
            .min()
            .orElse(local.revision());
    send(
        WatchResponse.newBuilder().setHeader(headers.at(revision)).setWatchId(ALL_WATCHES).build());
  }

  void periodicProgress() {
    watches.values().forEach(StreamWatch::periodicProgress);
  }

  void sendEvents(StreamWatch watch, long revision, List<Event> events) {
    send(
        WatchResponse.newBuilder()
            .setHeader(headers.at(revision))
            .setWatchId(watch.id())
            .addAllEvents(events)
            .build());
  }

  void sendProgress(StreamWatch watch, long revision) {
    send(WatchResponse.newBuilder().setHeader(headers.at(revision)).setWatchId(watch.id()).build());
  }

  /**
   * The watch's start revision (or where a slow watch had got to) is older than the history held.
   * compact_revision is the oldest revision a new watch can start from, so a client that resyncs
   * and watches again from there succeeds; the store's compact revision is the last one it forgot,
   * one below.
   */
  void compacted(StreamWatch watch, long storeCompactRevision) {
    watches.remove(watch.id(), watch);
    send(
        WatchResponse.newBuilder()
            .setHeader(headers.at(local.revision()))
            .setWatchId(watch.id())
            .setCanceled(true)
            .setCompactRevision(storeCompactRevision + 1)
            .setCancelReason(EtcdApiErrors.COMPACTED_MESSAGE)
            .build());
  }

  void failed(StreamWatch watch, StoreException error) {
    watches.remove(watch.id(), watch);
    String reason = EtcdApiErrors.toStatus(error).getStatus().getDescription();
    send(
        WatchResponse.newBuilder()
            .setHeader(headers.at(local.revision()))
            .setWatchId(watch.id())
            .setCanceled(true)
            .setCancelReason(reason == null ? "mapsync: watch ended" : reason)
            .build());
  }

  private void send(WatchResponse response) {
    boolean broken = false;
    synchronized (this) {
      if (ended) {
        return;
      }
      try {
        out.onNext(response);
      } catch (RuntimeException e) {
        LOG.debug("watch stream refused a response; ending it", e);
        broken = true;
      }
    }
    if (broken) {
      end();
    }
  }

  /** Ends the stream from the server side (shutdown). */
  void shutdown() {
    if (end()) {
      try {
        out.onError(EtcdApiErrors.STOPPED);
      } catch (RuntimeException e) {
        LOG.debug("watch stream already closed", e);
      }
    }
  }

  /** Stops every watch of the stream; true for the call that actually ended it. */
  private boolean end() {
    synchronized (this) {
      if (ended) {
        return false;
      }
      ended = true;
    }
    watches.values().forEach(StreamWatch::close);
    watches.clear();
    onEnd.accept(this);
    return true;
  }
}
