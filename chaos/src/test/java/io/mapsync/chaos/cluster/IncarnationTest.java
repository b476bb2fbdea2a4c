package io.mapsync.chaos.cluster;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import org.junit.jupiter.api.Test;

class IncarnationTest {
  @Test
  void anExitNoFaultAskedForIsACrash() {
    Incarnation i = new Incarnation("n1", 1, 42, Instant.now());
    assertFalse(i.crashed(), "running");
    i.exited(1);
    assertTrue(i.crashed());
  }

  @Test
  void anExitAFaultCausedIsNot() {
    Incarnation i = new Incarnation("n2", 3, 43, Instant.now());
    i.expectExit("kill-leader");
    i.exited(137);
    assertFalse(i.crashed());
  }

  @Test
  void stoppingItselfWhenItsRaftMemberDiedIsNoCrash() {
    Incarnation i = new Incarnation("n3", 2, 44, Instant.now());
    i.exited(
        3, "mapsync: store: CLOSED: n3: the Raft member failed (state CLOSING, data dir /d); ...");
    assertFalse(i.crashed());
    assertTrue(i.stoppedOnRaftFailure());
  }
}
