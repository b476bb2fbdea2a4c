package io.mapsync.chaos.traffic;

import com.google.protobuf.ByteString;
import io.etcd.jetcd.ByteSequence;
import io.etcd.jetcd.Client;
import io.etcd.jetcd.KeyValue;
import io.etcd.jetcd.Watch;
import io.etcd.jetcd.common.exception.CompactedException;
import io.etcd.jetcd.options.GetOption;
import io.etcd.jetcd.options.WatchOption;
import io.etcd.jetcd.watch.WatchEvent;
import io.etcd.jetcd.watch.WatchResponse;
import io.mapsync.chaos.cluster.ClusterSettings;
import io.mapsync.chaos.history.History;
import io.mapsync.chaos.history.Key;
import io.mapsync.chaos.history.Value;
import io.mapsync.store.state.KeyLayout;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Watches the replicated map through one member's etcd API from revision 1 for the whole run, as a
 * controller would, and keeps every event it is given. jetcd resumes a broken stream by itself
 * (from the last revision + 1); when the member says the revision it needs is compacted (it was
 * wiped, or installed a snapshot), the recorder resyncs as an etcd client must: it reads the whole
 * map and watches on from that read's revision. The checks then ask whether what it saw is in
 * order, without duplicates, and folds to what the store holds.
 */
public final class WatchRecorder implements AutoCloseable {
  private final String member;
  private final Client client;
  private final History history;
  private final ScheduledExecutorService retry =
      Executors.newSingleThreadScheduledExecutor(
          r -> {
            Thread t = new Thread(r, "chaos-watch-retry");
            t.setDaemon(true);
            return t;
          });
  private final List<WatchedEvent> events = new ArrayList<>();
  private final List<WatchLog.Resync> resyncs = new ArrayList<>();
  private final List<String> errors = new ArrayList<>();
  private long responses;
  private long lastRevision;
  private Watch.Watcher watcher;

  /**
   * Each watch call is a generation; callbacks of an older one (jetcd may send onError, then
   * onCompleted) are ignored.
   */
  private int generation;

  private boolean closed;

  public WatchRecorder(String member, Client client, History history) {
    this.member = member;
    this.client = client;
    this.history = history;
  }

  public String member() {
    return member;
  }

  public synchronized void start() {
    watchFrom(1);
  }

  private synchronized void watchFrom(long revision) {
    if (closed) {
      return;
    }
    int g = ++generation;
    WatchOption opt = WatchOption.builder().isPrefix(true).withRevision(revision).build();
    watcher =
        client
            .getWatchClient()
            .watch(
                bytes(KeyLayout.mapPrefix(ClusterSettings.MAP)),
                opt,
                Watch.listener(
                    r -> onResponse(g, r),
                    t -> onError(g, t),
                    () -> onError(g, new IllegalStateException("stream completed"))));
  }

  private synchronized void onResponse(int g, WatchResponse response) {
    if (g != generation || response.getEvents().isEmpty()) {
      return;
    }
    responses++;
    long now = history.now();
    for (WatchEvent e : response.getEvents()) {
      KeyValue kv = e.getKeyValue();
      Key key =
          KeyLayout.parseEntryKey(ByteString.copyFrom(kv.getKey().getBytes()))
              .map(k -> Key.of(k.rawKey().toByteArray()))
              .orElse(null);
      Value value =
          e.getEventType() == WatchEvent.EventType.PUT ? new Value(kv.getValue().getBytes()) : null;
      events.add(new WatchedEvent(responses, kv.getModRevision(), key, value, now));
      lastRevision = Math.max(lastRevision, kv.getModRevision());
    }
  }

  /** jetcd gives up on a stream only for errors it cannot resume from; we resume, or resync. */
  private synchronized void onError(int g, Throwable t) {
    if (closed || g != generation) {
      return;
    }
    generation++;
    errors.add(history.now() + " ms: " + t);
    if (watcher != null) {
      watcher.close();
    }
    boolean compacted = t instanceof CompactedException;
    Runnable next = compacted ? () -> resync(t.getMessage()) : this::restart;
    retry.schedule(next, 500, TimeUnit.MILLISECONDS);
  }

  private void restart() {
    long from;
    synchronized (this) {
      from = lastRevision + 1;
    }
    watchFrom(from);
  }

  /**
   * Reads the whole map (linearizably) and watches on after it. Retries while the member is away.
   */
  private void resync(String reason) {
    try {
      var read =
          client
              .getKVClient()
              .get(
                  bytes(KeyLayout.mapPrefix(ClusterSettings.MAP)),
                  GetOption.builder().isPrefix(true).build())
              .get(5, TimeUnit.SECONDS);
      Map<Key, Value> content = new HashMap<>();
      for (KeyValue kv : read.getKvs()) {
        KeyLayout.parseEntryKey(ByteString.copyFrom(kv.getKey().getBytes()))
            .ifPresent(
                k ->
                    content.put(
                        Key.of(k.rawKey().toByteArray()), new Value(kv.getValue().getBytes())));
      }
      long revision = read.getHeader().getRevision();
      synchronized (this) {
        resyncs.add(new WatchLog.Resync(revision, content, events.size(), history.now(), reason));
        lastRevision = Math.max(lastRevision, revision);
      }
      history.event(
          "watch on " + member + " resynced at revision " + revision + " (" + reason + ")");
      watchFrom(revision + 1);
    } catch (Exception e) {
      synchronized (this) {
        if (closed) {
          return;
        }
        errors.add(history.now() + " ms: resync read failed: " + e);
      }
      retry.schedule(() -> resync(reason), 1, TimeUnit.SECONDS);
    }
  }

  /** What it has seen so far, as data the checks read. */
  public synchronized WatchLog log() {
    return new WatchLog(member, List.copyOf(events), List.copyOf(resyncs), List.copyOf(errors));
  }

  static ByteSequence bytes(ByteString b) {
    return ByteSequence.from(b.toByteArray());
  }

  @Override
  public void close() {
    synchronized (this) {
      closed = true;
      if (watcher != null) {
        watcher.close();
      }
    }
    retry.shutdownNow();
    client.close();
  }
}
