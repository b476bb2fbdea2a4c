package io.mapsync.chaos.fault;

import io.mapsync.chaos.cluster.ChaosCluster;
import io.mapsync.chaos.history.History;
import java.io.IOException;
import java.util.Random;

/**
 * A member comes back with its clocks elsewhere ("-1d x0.5": a day back, half speed; libfaketime):
 * SIGTERM, new clock, start; healed the same way with the clock it started the run with (a jump
 * forward). On the leader this forces an election while the scenario's other skewed member (its
 * {@code withFakeClock}) takes part. The jump happens between two starts of the agent because
 * libfaketime cannot move a running process's wall clock without its monotonic clock ({@link
 * io.mapsync.chaos.cluster.FakeClock}). Its log and snapshots were made on another clock:
 * elections, leases and timeouts must not notice.
 */
public final class ClockJump implements Fault {
  private final Targets.Role role;
  private final String spec;

  /**
   * @param spec an offset and rate as libfaketime reads them
   */
  public ClockJump(Targets.Role role, String spec) {
    this.role = role;
    this.spec = spec;
  }

  @Override
  public String name() {
    return "clock-jump-" + Targets.lower(role);
  }

  @Override
  public Injected inject(ChaosCluster cluster, History history, Random random)
      throws IOException, InterruptedException {
    String id = Targets.pick(cluster, role, random);
    restartWith(cluster, id, spec);
    history.event(name() + ": " + id + " restarted with its clocks at '" + spec + "' and ready");
    return () -> {
      String start = cluster.startClock(id);
      restartWith(cluster, id, start);
      history.event(name() + ": " + id + " restarted with its clocks back at '" + start + "'");
    };
  }

  private void restartWith(ChaosCluster cluster, String id, String clock)
      throws IOException, InterruptedException {
    cluster.member(id).stop(name());
    cluster.setClock(id, clock);
    cluster.restart(id);
  }
}
