package io.mapsync.chaos.run;

import io.mapsync.chaos.check.Evidence;
import io.mapsync.chaos.check.Folds;
import io.mapsync.chaos.check.MapContent;
import io.mapsync.chaos.check.MemberState;
import io.mapsync.chaos.check.StoreContent;
import io.mapsync.chaos.check.Violation;
import io.mapsync.chaos.cluster.ChaosCluster;
import io.mapsync.chaos.cluster.ChaosMember;
import io.mapsync.chaos.cluster.Incarnation;
import io.mapsync.chaos.history.History;
import io.mapsync.chaos.history.Key;
import io.mapsync.chaos.history.Value;
import io.mapsync.chaos.traffic.WatchLog;
import io.mapsync.chaos.traffic.WatchRecorder;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * After the last fault: makes sure nothing is left broken (network healed, every member running and
 * resumed), then waits for quiescence — every map and every watch equal to the store — and gathers
 * the evidence. If they never agree within the timeout, the evidence shows where not.
 */
final class Settle {
  private final ChaosCluster cluster;
  private final History history;
  private final List<WatchRecorder> watches;
  private final Duration timeout;

  /** Polls (one a second) without any change after which a disagreement is taken as final. */
  private static final int STABLE_POLLS = 8;

  /** When maps and watches last agreed with the store (run clock), -1 if they did not. */
  private long agreedAtMs = -1;

  Settle(ChaosCluster cluster, History history, List<WatchRecorder> watches, Duration timeout) {
    this.cluster = cluster;
    this.history = history;
    this.watches = watches;
    this.timeout = timeout;
  }

  /**
   * Repairs whatever a fault loop cut short (it heals each fault itself; this is the safety net). A
   * member that cannot be brought back is a violation, not the end of the run.
   */
  List<Violation> healEverything() {
    List<Violation> out = new ArrayList<>();
    for (String id : cluster.ids()) {
      try {
        cluster.network().heal(id);
        ChaosMember p = cluster.member(id);
        if (p.paused()) {
          p.resume();
          history.event("settle: resumed " + id);
        }
        if (!p.running()) {
          String why =
              p.awaitsSupervisorRestart() ? " (it had stopped itself: its Raft member failed)" : "";
          cluster.restart(id);
          history.event("settle: restarted " + id + why);
        }
      } catch (IOException | RuntimeException e) {
        history.event("settle: could not bring " + id + " back: " + e.getMessage());
        out.add(
            new Violation(
                "heal",
                id + " could not be brought back after the faults",
                List.of(e.getMessage(), "log: " + cluster.member(id).log())));
      }
    }
    return out;
  }

  /**
   * Waits until maps and watches agree with the store; or until nothing has changed for a while (a
   * divergence that stays is what the checks are for); or the timeout. Returns the last evidence.
   */
  Evidence await() throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    long t0 = history.now();
    Evidence last = null;
    Exception lastError = null;
    int unchanged = 0;
    int lastFingerprint = 0;
    while (System.nanoTime() < deadline) {
      try {
        last = gather();
        if (agrees(last)) {
          agreedAtMs = history.now();
          history.event(
              "settle: maps and watches agree with the store at revision "
                  + last.store().revision()
                  + " after "
                  + (history.now() - t0)
                  + " ms");
          return last;
        }
        int fingerprint = fingerprint(last);
        unchanged = fingerprint == lastFingerprint ? unchanged + 1 : 0;
        lastFingerprint = fingerprint;
        if (unchanged >= STABLE_POLLS) {
          history.event(
              "settle: no change for "
                  + STABLE_POLLS
                  + " s and still no agreement; checking what there is");
          dumpThreads();
          return last;
        }
      } catch (Exception e) {
        lastError = e;
      }
      Thread.sleep(1000);
    }
    if (last == null) {
      dumpThreads();
      throw new IllegalStateException(
          "could not read the store or the maps to check them", lastError);
    }
    history.event("settle: no agreement within " + timeout + "; checking what there is");
    dumpThreads();
    return last;
  }

  long agreedAtMs() {
    return agreedAtMs;
  }

  private Evidence gather() throws Exception {
    String ask = cluster.responsive().get(0);
    StoreContent store = StoreContent.read(cluster.probe().client(ask));
    Map<String, Map<Key, Value>> maps = new LinkedHashMap<>();
    for (String id : cluster.ids()) {
      maps.put(id, MapContent.read(cluster.pin(id)));
    }
    List<WatchLog> logs = watches.stream().map(WatchRecorder::log).toList();
    List<Incarnation> incarnations = new ArrayList<>();
    cluster.ids().forEach(id -> incarnations.addAll(cluster.member(id).incarnations()));
    List<MemberState> members = new ArrayList<>();
    for (String id : cluster.ids()) {
      Map<String, Double> m = MetricsScrape.scrape(cluster.metricsUrl(id));
      members.add(
          new MemberState(
              id,
              m.getOrDefault("mapsync_applied_revision", -1.0).longValue(),
              m.getOrDefault("mapsync_pending_writes", 0.0).longValue(),
              RaftFailures.in(cluster.member(id).log()),
              m.getOrDefault("mapsync_propose_failures_total{reason=\"CLOSED\"}", 0.0).longValue(),
              RaftFailures.resyncs(cluster.member(id).log())));
    }
    return new Evidence(history, store, maps, logs, incarnations, members);
  }

  /**
   * What an operator would do about a member whose Raft member died inside a running agent: restart
   * it. Returns the evidence of each such member before its restart (for the report).
   */
  List<MemberState> restartFailedMembers(Evidence e) throws Exception {
    List<MemberState> restarted = new ArrayList<>();
    for (MemberState m : e.members()) {
      if (!m.raftFailure().isEmpty()) {
        history.event(
            "settle: "
                + m.member()
                + "'s Raft member failed inside the running agent ("
                + m.raftFailure()
                + "); restarting it as an operator would");
        cluster.member(m.member()).kill("operator restart of a failed member");
        cluster.restart(m.member());
        restarted.add(m);
      }
    }
    return restarted;
  }

  /** Every running member's threads into its log, for the post-mortem of a disagreement. */
  void dumpThreads() {
    cluster
        .ids()
        .forEach(id -> cluster.member(id).dumpThreads("no agreement at the end of the run"));
  }

  private static int fingerprint(Evidence e) {
    int h = Long.hashCode(e.store().revision()) * 31 + e.maps().hashCode();
    for (WatchLog w : e.watches()) {
      h = 31 * h + w.events().size() + 7 * w.resyncs().size();
    }
    return h;
  }

  private static boolean agrees(Evidence e) {
    Map<Key, Value> store = e.store().values();
    return e.maps().values().stream().allMatch(store::equals)
        && e.watches().stream().allMatch(w -> store.equals(Folds.of(w)));
  }
}
