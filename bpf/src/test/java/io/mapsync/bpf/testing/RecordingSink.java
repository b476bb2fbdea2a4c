package io.mapsync.bpf.testing;

import io.mapsync.bpf.capture.ChangeSink;
import io.mapsync.bpf.capture.MapChange;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/** A sink that queues what it receives, for tests to wait on. */
public final class RecordingSink implements ChangeSink {
  private final LinkedBlockingQueue<MapChange> changes = new LinkedBlockingQueue<>();
  public final List<String> resyncs = new CopyOnWriteArrayList<>();

  @Override
  public void onChange(MapChange change) {
    changes.add(change);
  }

  @Override
  public void onResync(int mapId, String reason) {
    resyncs.add(mapId + ": " + reason);
  }

  /** Waits for exactly n changes (or fewer at the timeout), then returns them in order. */
  public List<MapChange> take(int n, Duration timeout) throws InterruptedException {
    List<MapChange> out = new ArrayList<>();
    long deadline = System.nanoTime() + timeout.toNanos();
    while (out.size() < n) {
      MapChange c = changes.poll(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
      if (c == null) {
        break;
      }
      out.add(c);
    }
    return out;
  }

  /** Whatever arrives within the wait: for asserting that nothing more comes. */
  public List<MapChange> drain(Duration wait) throws InterruptedException {
    Thread.sleep(wait.toMillis());
    List<MapChange> out = new ArrayList<>();
    changes.drainTo(out);
    return out;
  }
}
