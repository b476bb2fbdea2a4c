package io.mapsync.chaos.check;

import io.mapsync.chaos.cluster.Incarnation;
import java.util.ArrayList;
import java.util.List;

/**
 * (c) No agent process ended unless a fault (or the clean-up) ended it, or it stopped itself
 * because its Raft member died (what it must do; the harness restarts it as a supervisor would).
 */
final class NoCrashCheck implements Check {
  @Override
  public String name() {
    return "no-crash";
  }

  @Override
  public List<Violation> check(Evidence e) {
    List<Violation> out = new ArrayList<>();
    for (Incarnation i : e.incarnations()) {
      if (i.crashed()) {
        out.add(
            new Violation(
                name(),
                i.member()
                    + " incarnation "
                    + i.number()
                    + " exited by itself with code "
                    + i.exitCode(),
                List.of(i.toString(), "see the member's log in the run directory")));
      }
    }
    return out;
  }
}
