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
import io.mapsync.chaos.traffic.ClientReader;
import io.mapsync.chaos.traffic.ClientWriter;
import io.mapsync.chaos.traffic.MapWriteTraffic;
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

  private final Plan plan;
  private final Path dir;
  private final History history = new History();
  private final List<WatchRecorder> watches = new ArrayList<>();
  private final List<Violation> violations = new ArrayList<>();
  private long trafficStoppedMs;
  private long agreedAtMs = -1;
  private final Map<String, String> verdicts = new java.util.LinkedHashMap<>();

  private ChaosRun(Plan plan, Path dir) {
    this.plan = plan;
    this.dir = dir;
  }

  public static Report execute(Plan plan, Path baseDir) throws Exception {
    Path dir = baseDir.resolve(plan.name()).toAbsolutePath();
    LabJanitor.deleteTree(dir);
    Files.createDirectories(dir);
    return new ChaosRun(plan, dir).run();
  }

  private Report run() throws Exception {
    try (ChaosCluster cluster = ChaosCluster.start(plan.cluster(), dir)) {
      history.event(
          "cluster of "
              + cluster.ids().size()
              + " ready; seed "
              + plan.seed()
              + ", plan "
              + plan.name());
      int injected = trafficUnderFaults(cluster);
      Evidence evidence = settleAndCheck(cluster);
      return report(cluster, evidence, injected);
    } finally {
      watches.forEach(WatchRecorder::close);
    }
  }

  /**
   * Watchers and traffic on, faults until the duration is used, traffic off; returns the faults
   * injected.
   */
  private int trafficUnderFaults(ChaosCluster cluster) {
    for (String id : cluster.ids()) {
      WatchRecorder w = new WatchRecorder(id, cluster.newClient(id), history);
      watches.add(w);
      w.start();
    }
    List<Traffic> traffic = new ArrayList<>();
    int client = 0;
    for (int i = 0; i < cluster.ids().size(); i++) {
      String id = cluster.ids().get(i);
      traffic.add(
          new MapWriteTraffic(id, cluster.pin(id), history, plan.seed() * 31 + i, plan.rates()));
      for (int c = 0; c < plan.rates().clientsPerMember(); c++, client++) {
        traffic.add(
            new ClientWriter(
                id,
                client,
                cluster.newClient(id),
                history,
                plan.seed() * 37 + client,
                plan.rates()));
      }
    }
    if (plan.rates().readsPerSecond() > 0) {
      for (int i = 0; i < cluster.ids().size(); i++) {
        String id = cluster.ids().get(i);
        traffic.add(
            new ClientReader(
                id, cluster.newClient(id), history, plan.seed() * 41 + i, plan.rates(), client));
      }
    }
    traffic.forEach(Traffic::start);
    history.event("traffic started");
    FaultLoop faults = new FaultLoop(plan, cluster, history);
    try {
      faults.run(history.now());
    } catch (Exception e) {
      history.event("fault loop failed: " + e.getMessage());
      cluster
          .ids()
          .forEach(id -> cluster.member(id).dumpThreads("a fault could not be injected or healed"));
      violations.add(
          new Violation(
              "fault-loop",
              "a fault could not be injected or healed: " + e.getMessage(),
              List.of(stackTrace(e))));
    } finally {
      traffic.forEach(Traffic::close);
      trafficStoppedMs = history.now();
      history.event("traffic stopped");
    }
    return faults.injected();
  }

  /** Heals, waits for quiescence, restarts members whose Raft member died, runs the checks. */
  private Evidence settleAndCheck(ChaosCluster cluster) throws Exception {
    Settle settle = new Settle(cluster, history, watches, SETTLE_TIMEOUT);
    violations.addAll(settle.healEverything());
    Evidence evidence = settle.await();
    List<MemberState> failed = settle.restartFailedMembers(evidence);
    if (!failed.isEmpty()) {
      // the failure is reported; everything else is checked on the restarted members
      violations.addAll(
          Check.caughtUp().check(evidence).stream()
              .filter(v -> failed.stream().anyMatch(m -> v.summary().startsWith(m.member() + " ")))
              .toList());
      evidence = settle.await();
    }
    agreedAtMs = settle.agreedAtMs();
    for (Check c : Check.all()) {
      List<Violation> found = c.check(evidence);
      violations.addAll(found);
      verdicts.put(
          c.name(),
          (found.isEmpty() ? "ok" : found.size() + " VIOLATION(S)")
              + (c.stats().isEmpty() ? "" : " (" + c.stats() + ")"));
    }
    return evidence;
  }

  private Report report(ChaosCluster cluster, Evidence evidence, int injected) throws Exception {
    List<String> all = violations.stream().map(Violation::toString).toList();
    List<Violation> known = violations.stream().filter(v -> KnownIssues.match(v) != null).toList();
    List<Violation> failing =
        violations.stream().filter(v -> KnownIssues.match(v) == null).toList();
    Map<String, Integer> resyncs = new TreeMap<>();
    evidence.watches().forEach(w -> resyncs.put(w.member(), w.resyncs().size()));
    Figures figures = Figures.of(history, violations, trafficStoppedMs, agreedAtMs);
    List<String> lines = new ArrayList<>(figures.lines());
    verdicts.forEach((check, verdict) -> lines.add("check " + check + ": " + verdict));
    lines.addAll(RunSummary.lines(history, cluster, evidence));
    Report report =
        new Report(
            plan.name(),
            plan.seed(),
            failing,
            known,
            injected,
            count(Op.Outcome.OK),
            count(Op.Outcome.WRITTEN),
            resyncs,
            lines,
            dir,
            figures);
    history.writeTo(dir.resolve("history.txt"));
    for (var w : evidence.watches()) {
      Files.write(dir.resolve("watch-" + w.member() + ".txt"), WatchLogFile.lines(w));
    }
    Files.writeString(dir.resolve("report.txt"), report.toString());
    Files.write(dir.resolve("violations.txt"), all);
    System.out.println(report);
    return report;
  }

  private long count(Op.Outcome outcome) {
    return history.ops().stream().filter(o -> o.outcome() == outcome).count();
  }

  private static String stackTrace(Exception e) {
    StringWriter w = new StringWriter();
    e.printStackTrace(new PrintWriter(w));
    return w.toString();
  }
}
