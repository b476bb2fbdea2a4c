package io.mapsync.raft.ratis;

import io.mapsync.store.StoreException;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import org.apache.ratis.server.RaftServer;
import org.apache.ratis.util.LifeCycle;

/**
 * Notices when this member's Raft server or division stopped without being asked to, and reports it
 * once. Ratis closes a division whose log worker failed (chaos bug 4: "Failed to updateIncreasingly
 * for flushIndex" when a snapshot install races with queued log writes) and leaves the process
 * running; the member then never applies again, so whoever runs it must stop and be restarted,
 * which resumes from the data on disk.
 */
final class MemberWatchdog {
  private static final long PERIOD_MILLIS = 500;

  private final String nodeId;
  private final Path dataDir;
  private final RaftServer server;
  private final RaftServer.Division division;
  private final BooleanSupplier closing;
  private final Executor callbacks;
  private final List<Consumer<StoreException>> listeners = new CopyOnWriteArrayList<>();
  private volatile StoreException failure;

  /**
   * @param closing true once the member is being closed on purpose (then nothing is a failure)
   * @param callbacks where listeners run
   */
  MemberWatchdog(
      String nodeId,
      Path dataDir,
      RaftServer server,
      RaftServer.Division division,
      BooleanSupplier closing,
      ScheduledExecutorService scheduler,
      Executor callbacks) {
    this.nodeId = nodeId;
    this.dataDir = dataDir;
    this.server = server;
    this.division = division;
    this.closing = closing;
    this.callbacks = callbacks;
    scheduler.scheduleWithFixedDelay(
        this::check, PERIOD_MILLIS, PERIOD_MILLIS, TimeUnit.MILLISECONDS);
  }

  /** The failure, once the Raft member died; null while it runs. */
  StoreException failure() {
    return failure;
  }

  /** Calls the listener once the Raft member dies (at once if it already has). */
  void onFailure(Consumer<StoreException> listener) {
    listeners.add(listener);
    StoreException f = failure;
    if (f != null && listeners.remove(listener)) {
      notify(listener, f);
    }
  }

  private void check() {
    if (failure != null || closing.getAsBoolean()) {
      return;
    }
    LifeCycle.State member = division.getInfo().getLifeCycleState();
    LifeCycle.State process = server.getLifeCycleState();
    LifeCycle.State dead = stopped(member) ? member : stopped(process) ? process : null;
    if (dead == null || closing.getAsBoolean()) {
      return;
    }
    failure =
        new StoreException(
            StoreException.Reason.CLOSED,
            nodeId
                + ": the Raft member failed (state "
                + dead
                + ", data dir "
                + dataDir
                + "); this member stops serving; restarting it resumes from the data on disk");
    for (Consumer<StoreException> l : listeners) {
      if (listeners.remove(l)) {
        notify(l, failure);
      }
    }
  }

  private static boolean stopped(LifeCycle.State s) {
    return s == LifeCycle.State.CLOSING
        || s == LifeCycle.State.CLOSED
        || s == LifeCycle.State.EXCEPTION;
  }

  private void notify(Consumer<StoreException> listener, StoreException f) {
    try {
      callbacks.execute(() -> listener.accept(f));
    } catch (RejectedExecutionException e) {
      listener.accept(f);
    }
  }
}
