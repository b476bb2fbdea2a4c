package io.mapsync.chaos.run;

import io.mapsync.chaos.cluster.ChaosCluster;
import io.mapsync.chaos.fault.Fault;
import io.mapsync.chaos.history.FaultWindow;
import io.mapsync.chaos.history.History;
import java.io.IOException;
import java.time.Duration;
import java.util.Random;

/**
 * Injects a plan's faults one at a time until its duration is used up: inject, hold, heal, let the
 * cluster recover, next. One fault at a time keeps a majority of voters alive, which is the
 * condition the guarantees are stated under.
 */
final class FaultLoop {
  private final Plan plan;
  private final ChaosCluster cluster;
  private final History history;
  private final Random random;
  private final Supervisor supervisor;
  private int injected;

  FaultLoop(Plan plan, ChaosCluster cluster, History history) {
    this.plan = plan;
    this.cluster = cluster;
    this.history = history;
    this.random = new Random(plan.seed());
    this.supervisor = new Supervisor(cluster, history);
  }

  /** Runs until the plan's duration has passed (counted from the start of traffic). */
  void run(long trafficStartMs) throws IOException, InterruptedException {
    sleepUntil(trafficStartMs + plan.warmup().toMillis());
    long end = trafficStartMs + plan.duration().toMillis();
    int next = 0;
    while (!plan.faults().isEmpty() && history.now() + plan.hold().toMillis() / 2 < end) {
      supervisor.restartStopped();
      Fault fault =
          plan.shuffle()
              ? plan.faults().get(random.nextInt(plan.faults().size()))
              : plan.faults().get(next++ % plan.faults().size());
      Fault.Injected active = fault.inject(cluster, history, random);
      long at = history.now(); // in place from here (finding the target may take a while)
      injected++;
      sleepUntil(history.now() + hold().toMillis());
      active.heal();
      history.fault(new FaultWindow(fault.name(), at, history.now()));
      supervisor.restartStopped();
      sleepUntil(Math.min(end, history.now() + plan.recover().toMillis()));
    }
    sleepUntil(end);
  }

  private Duration hold() {
    if (!plan.shuffle()) {
      return plan.hold();
    }
    long ms = plan.hold().toMillis();
    return Duration.ofMillis(ms / 2 + (long) (random.nextDouble() * ms));
  }

  int injected() {
    return injected;
  }

  private void sleepUntil(long ms) throws InterruptedException {
    long wait = ms - history.now();
    if (wait > 0) {
      Thread.sleep(wait);
    }
  }
}
