package io.mapsync.chaos.fault;

import io.mapsync.chaos.cluster.ChaosCluster;
import io.mapsync.chaos.history.History;
import java.io.IOException;
import java.util.Random;

/**
 * A failpoint: something that goes wrong with one member, and its repair. Faults choose their
 * target by asking the cluster (who leads now), record what they did in the history, and throw if
 * they could not do it, so a run never passes on a fault that did not happen.
 */
public interface Fault {
  /** Short name for schedules and reports: kill-leader, partition-follower, ... */
  String name();

  /** Injects the fault now; returns how to heal it. */
  Injected inject(ChaosCluster cluster, History history, Random random)
      throws IOException, InterruptedException;

  /** A fault in place. */
  interface Injected {
    /** Undoes the fault (restart, SIGCONT, link up, rejoin). */
    void heal() throws IOException, InterruptedException;
  }
}
