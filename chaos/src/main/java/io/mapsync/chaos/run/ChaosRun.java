package io.mapsync.chaos.run;

import io.mapsync.chaos.check.Check;
import io.mapsync.chaos.check.Evidence;
import io.mapsync.chaos.check.KnownIssues;
import io.mapsync.chaos.check.MemberState;
import io.mapsync.chaos.check.Violation;
import io.mapsync.chaos.cluster.ChaosCluster;
import io.mapsync.chaos.cluster.LabJanitor;
import io.mapsync.chaos.history.History;
import io.mapsync.chaos.history.Op;
import io.mapsync.chaos.traffic.ClientWriter;
import io.mapsync.chaos.traffic.MapWriter;
import io.mapsync.chaos.traffic.Traffic;
import io.mapsync.chaos.traffic.WatchRecorder;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Runs a {@link Plan} end to end: lab and cluster up, watchers and traffic on, faults until the
 * duration is used, traffic off, everything healed, quiescence, the checks, a report. Whatever
 * happens, every process, namespace and pin it created is gone when it returns; the logs, the
 * history and the report stay in the run's directory.
 */
public final class ChaosRun {
  static final Duration SETTLE_TIMEOUT = Duration.ofSeconds(40);

  private ChaosRun() {}

  public static Report execute(Plan plan, Path baseDir) throws Exception {
    Path dir = baseDir.resolve(plan.name()).toAbsolutePath();
    LabJanitor.deleteTree(dir);
    Files.createDirectories(dir);
    History history = new History();
    List<WatchRecorder> watches = new ArrayList<>();
    try (ChaosCluster cluster = ChaosCluster.start(plan.cluster(), dir)) {
      history.event("cluster of " + cluster.ids().size() + " ready; seed " + plan.seed() + ", plan " + plan.name());
      for (String id : cluster.ids()) {
        WatchRecorder w = new WatchRecorder(id, cluster.endpoint(id), history);
        watches.add(w);
        w.start();
      }
      List<Traffic> traffic = new ArrayList<>();
      int client = 0;
      for (int i = 0; i < cluster.ids().size(); i++) {
        String id = cluster.ids().get(i);
        traffic.add(new MapWriter(id, cluster.pin(id), history, plan.seed() * 31 + i, plan.rates()));
        for (int c = 0; c < plan.rates().clientsPerMember(); c++, client++) {
          traffic.add(new ClientWriter(id, client, cluster.endpoint(id), history, plan.seed() * 37 + client,
              plan.rates()));
        }
      }
      traffic.forEach(Traffic::start);
      long trafficStart = history.now();
      history.event("traffic started");
      List<Violation> violations = new ArrayList<>();
      FaultLoop faults = new FaultLoop(plan, cluster, history);
      try {
        faults.run(trafficStart);
      } catch (Exception e) {
        violations.add(new Violation("fault-loop", "a fault could not be injected or healed: " + e.getMessage(),
            List.of(stackTrace(e))));
      } finally {
        traffic.forEach(Traffic::close);
        history.event("traffic stopped");
      }
      Settle settle = new Settle(cluster, history, watches, SETTLE_TIMEOUT);
      settle.healEverything();
      Evidence evidence = settle.await();
      List<MemberState> failed = settle.restartFailedMembers(evidence);
      if (!failed.isEmpty()) {
        // the failure is reported; the rest is checked on the restarted members
        violations.addAll(Check.caughtUp().check(evidence).stream()
            .filter(v -> failed.stream().anyMatch(m -> v.summary().startsWith(m.member() + " "))).toList());
        evidence = settle.await();
      }
      for (Check c : Check.all()) {
        violations.addAll(c.check(evidence));
      }
      List<String> lines = summary(history, cluster, evidence);
      List<String> all = violations.stream().map(Violation::toString).toList();
      List<Violation> known = violations.stream().filter(v -> KnownIssues.match(v) != null).toList();
      violations.removeAll(known);
      Map<String, Integer> resyncs = new TreeMap<>();
      evidence.watches().forEach(w -> resyncs.put(w.member(), w.resyncs().size()));
      Report report = new Report(plan.name(), plan.seed(), violations, known, faults.injected(),
          count(history, Op.Outcome.OK), count(history, Op.Outcome.WRITTEN), resyncs, lines, dir);
      history.writeTo(dir.resolve("history.txt"));
      for (var w : evidence.watches()) {
        Files.write(dir.resolve("watch-" + w.member() + ".txt"), WatchLogFile.lines(w));
      }
      Files.writeString(dir.resolve("report.txt"), report.toString());
      Files.write(dir.resolve("violations.txt"), all);
      System.out.println(report);
      return report;
    } finally {
      watches.forEach(WatchRecorder::close);
    }
  }

  private static List<String> summary(History history, ChaosCluster cluster, Evidence evidence) {
    List<String> lines = new ArrayList<>();
    lines.add("operations: " + history.summary());
    lines.add("store: " + evidence.store().entries().size() + " keys at revision " + evidence.store().revision());
    for (var w : evidence.watches()) {
      lines.add("watch on " + w.member() + ": " + w.events().size() + " events, " + w.resyncs().size() + " resync(s), "
          + w.errors().size() + " stream error(s)");
    }
    for (String id : cluster.ids()) {
      var m = AgentMetrics.scrape(cluster.metricsUrl(id));
      lines.add(id + ": " + cluster.member(id).incarnations().size() + " incarnation(s); repaired "
          + m.getOrDefault("mapsync_repaired_total", 0.0).longValue() + ", superseded "
          + m.getOrDefault("mapsync_superseded_total", 0.0).longValue() + ", rejected "
          + m.getOrDefault("mapsync_rejected_total", 0.0).longValue() + ", dropped "
          + m.getOrDefault("mapsync_dropped_total", 0.0).longValue() + ", propose failures "
          + m.getOrDefault("mapsync_propose_failures_total", 0.0).longValue() + "; applied revision "
          + m.getOrDefault("mapsync_applied_revision", 0.0).longValue() + ", pending writes "
          + m.getOrDefault("mapsync_pending_writes", 0.0).longValue());
    }
    lines.add("timeline:");
    history.events().forEach(e -> lines.add("  " + e));
    return lines;
  }

  private static long count(History history, Op.Outcome outcome) {
    return history.ops().stream().filter(o -> o.outcome() == outcome).count();
  }

  private static String stackTrace(Exception e) {
    StringWriter w = new StringWriter();
    e.printStackTrace(new PrintWriter(w));
    return w.toString();
  }
}
