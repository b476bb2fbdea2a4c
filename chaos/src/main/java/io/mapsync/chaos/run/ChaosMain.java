package io.mapsync.chaos.run;

import io.mapsync.chaos.cluster.ClusterSettings;
import io.mapsync.chaos.fault.Fault;
import io.mapsync.chaos.fault.Faults;
import io.mapsync.chaos.traffic.TrafficRates;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * The soak run: the same lab, traffic and checks as the tests, for as long as you like, with the
 * faults and the seed you choose; one run after another, each seed printed so a failure can be
 * replayed. Exit code 0 if every run passed, 1 if any found a violation.
 */
@Command(
    name = "soak",
    mixinStandardHelpOptions = true,
    description =
        "Run mapsync agents in a lab network under faults and traffic, then check the history.")
public final class ChaosMain implements Callable<Integer> {
  @Option(
      names = "--duration",
      defaultValue = "5m",
      description = "traffic and faults per run (e.g. 90s, 30m)")
  String duration;

  @Option(
      names = "--runs",
      defaultValue = "1",
      description = "runs one after another; seeds seed, seed+1, ...")
  int runs;

  @Option(names = "--seed", description = "seed of the first run (default: from the clock)")
  Long seed;

  @Option(
      names = "--faults",
      split = ",",
      description = "failpoints (default: every one but slow-*): ${COMPLETION-CANDIDATES}",
      completionCandidates = FaultNames.class)
  List<String> faults;

  @Option(names = "--members", defaultValue = "3", description = "voters")
  int members;

  @Option(
      names = "--hold",
      defaultValue = "8s",
      description = "how long a fault stays (randomised by half)")
  String hold;

  @Option(names = "--recover", defaultValue = "5s", description = "quiet time after each heal")
  String recover;

  @Option(
      names = "--anti-entropy",
      defaultValue = "0s",
      description =
          "agents' anti-entropy interval; 0s (default) shows divergences instead of repairing them")
  String antiEntropy;

  @Option(
      names = "--capture",
      defaultValue = "auto",
      description = "capture tier of the map: auto, syscall, scan")
  String capture;

  @Option(
      names = "--snapshot-every",
      defaultValue = "300",
      description = "Raft entries between snapshots")
  int snapshotEvery;

  @Option(
      names = "--clients-per-member",
      defaultValue = "1",
      description = "etcd API clients per member")
  int clients;

  @Option(names = "--tls", description = "mutual TLS on every Raft and client port of the lab")
  boolean tls;

  @Option(
      names = "--dir",
      defaultValue = "chaos-runs",
      description = "where runs keep logs, histories, reports")
  Path dir;

  /** The names picocli lists in --help. */
  static final class FaultNames extends ArrayList<String> {
    private static final long serialVersionUID = 1L;

    FaultNames() {
      super(Faults.names());
    }
  }

  @Override
  public Integer call() throws Exception {
    long first = seed != null ? seed : System.currentTimeMillis() % 100_000;
    List<String> names =
        faults != null
            ? faults
            : Faults.names().stream().filter(n -> !n.startsWith("slow-")).toList();
    ClusterSettings cluster =
        ClusterSettings.defaults()
            .withMembers(members)
            .withCapture(capture)
            .withAntiEntropy(SoakDurations.parse(antiEntropy))
            .withRaftProperties(ClusterSettings.snapshotOften(snapshotEvery))
            .withTls(tls);
    int failed = 0;
    for (int i = 0; i < runs; i++) {
      long s = first + i;
      List<Fault> plan = names.stream().map(Faults::named).toList();
      Plan p =
          new Plan(
              "soak-seed-" + s,
              s,
              cluster,
              TrafficRates.defaults().withClientsPerMember(clients),
              SoakDurations.parse(duration),
              plan,
              true,
              Duration.ofSeconds(3),
              SoakDurations.parse(hold),
              SoakDurations.parse(recover));
      Report r = ChaosRun.execute(p, dir);
      failed += r.passed() ? 0 : 1;
      System.out.printf(
          "run %d of %d, seed %d: %s%n", i + 1, runs, s, r.passed() ? "passed" : "FAILED");
    }
    System.out.printf("%d of %d run(s) failed%n", failed, runs);
    return failed == 0 ? 0 : 1;
  }

  public static void main(String[] args) {
    System.exit(new CommandLine(new ChaosMain()).execute(args));
  }
}
