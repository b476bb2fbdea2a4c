package io.mapsync.chaos.traffic;

import io.mapsync.bpf.BpfException;
import io.mapsync.bpf.BpfMap;
import io.mapsync.bpf.UpdateFlag;
import io.mapsync.chaos.history.History;
import io.mapsync.chaos.history.Key;
import io.mapsync.chaos.history.Op;
import io.mapsync.chaos.history.Value;
import java.nio.file.Path;
import java.util.Random;
import java.util.concurrent.locks.LockSupport;

/**
 * A network function stand-in for one host: updates and deletes through bpf() into that host's
 * pinned map, from this process (not the agent's), so the agent captures them as the writes of a
 * datapath control plane. It keeps writing whatever the agent is going through — killed, paused,
 * cut off — because a real network function does.
 */
public final class MapWriteTraffic implements Traffic {
  private final String member;
  private final Path pin;
  private final History history;
  private final Random random;
  private final TrafficRates rates;
  private volatile boolean stopped;
  private Thread thread;

  public MapWriteTraffic(String member, Path pin, History history, long seed, TrafficRates rates) {
    this.member = member;
    this.pin = pin;
    this.history = history;
    this.random = new Random(seed);
    this.rates = rates;
  }

  @Override
  public void start() {
    thread = new Thread(this::run, "chaos-map-writer-" + member);
    thread.setDaemon(true);
    thread.start();
  }

  private void run() {
    long periodNanos = 1_000_000_000L / Math.max(1, rates.mapOpsPerSecond());
    String source = "map@" + member;
    try (BpfMap map = BpfMap.openPinned(pin)) {
      long next = System.nanoTime();
      while (!stopped) {
        Key key = new Key(Key.Space.MAP, random.nextInt(rates.mapKeys()));
        boolean delete = random.nextInt(5) == 0;
        long id = history.nextId();
        Value value = delete ? null : Value.forOp(id);
        long t0 = history.now();
        Op.Outcome outcome = Op.Outcome.WRITTEN;
        String error = "";
        try {
          if (delete) {
            if (!map.delete(key.bytes())) {
              // ENOENT: the syscall failed, so there is nothing to capture or replicate
              outcome = Op.Outcome.REFUSED;
              error = "absent";
            }
          } else {
            map.update(key.bytes(), value.raw(), UpdateFlag.ANY);
          }
        } catch (BpfException e) {
          outcome = Op.Outcome.REFUSED;
          error = e.getMessage();
        }
        history.record(
            new Op(
                id,
                source,
                delete ? Op.Kind.DELETE : Op.Kind.PUT,
                key,
                value,
                t0,
                history.now(),
                outcome,
                0,
                error));
        next += periodNanos;
        LockSupport.parkNanos(Math.max(0, next - System.nanoTime()));
      }
    } catch (RuntimeException e) {
      history.event("map writer for " + member + " stopped by " + e);
    }
  }

  @Override
  public void close() {
    stopped = true;
    if (thread != null) {
      try {
        thread.join(10_000);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }
}
