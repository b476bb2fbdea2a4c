package io.mapsync.chaos.fault;

import io.mapsync.chaos.cluster.ChaosCluster;
import io.mapsync.chaos.history.History;
import java.io.IOException;
import java.util.Random;

/**
 * The wall clock of the member the scenario runs under libfaketime jumps and changes its rate ("-1d
 * x0.5": a day back, then half speed), whatever its role is at the time; healed by a jump back to
 * the clock it started with. Leader election, leases and timeouts must not notice: they run on the
 * monotonic clock, which is not moved.
 */
public final class ClockJump implements Fault {
  private final String spec;

  /**
   * @param spec an offset and rate as libfaketime reads them
   */
  public ClockJump(String spec) {
    this.spec = spec;
  }

  @Override
  public String name() {
    return "clock-jump";
  }

  @Override
  public Injected inject(ChaosCluster cluster, History history, Random random) throws IOException {
    String id = cluster.settings().fakeClock().member();
    String leader =
        cluster.probe().leader(cluster.responsive(), cluster.ids().size(), Targets.LEADER_WAIT);
    cluster.setClock(spec);
    history.event(
        name()
            + ": "
            + id
            + "'s wall clock set to '"
            + spec
            + "' ("
            + (leader.equals(id) ? "the leader" : "a follower; " + leader + " leads")
            + ")");
    return () -> {
      cluster.setClock(cluster.settings().fakeClock().start());
      history.event(
          name()
              + ": "
              + id
              + "'s wall clock back to '"
              + cluster.settings().fakeClock().start()
              + "'");
    };
  }
}
