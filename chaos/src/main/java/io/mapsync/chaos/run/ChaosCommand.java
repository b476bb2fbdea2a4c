package io.mapsync.chaos.run;

import io.mapsync.chaos.scenario.Scenario;
import io.mapsync.chaos.scenario.ScenarioCatalog;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * `mapsync chaos list | run SCENARIO | all | soak`: the chaos scenarios from the binary, as root.
 * Each run prints its report and the figures; the exit code is 0 if every run passed, 1 if any
 * broke a promise or did not exercise enough, 2 for a bad command line or a machine that cannot
 * host the lab.
 */
@Command(
    name = "chaos",
    mixinStandardHelpOptions = true,
    description =
        "Run mapsync agents in a lab network under faults and traffic, then check the history.",
    subcommands = {
      ChaosCommand.ListScenarios.class,
      ChaosCommand.RunOne.class,
      ChaosCommand.RunAll.class
    })
public final class ChaosCommand implements Runnable {
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  /** The entry point `mapsync chaos` calls (by name: the agent cannot link this module). */
  public static int run(String... args) {
    CommandLine cli = new CommandLine(new ChaosCommand());
    cli.addSubcommand("soak", new ChaosMain());
    cli.setExecutionExceptionHandler(
        (e, line, parsed) -> {
          line.getErr().println("mapsync chaos: " + e.getMessage());
          return e instanceof IllegalArgumentException || e instanceof LabUnavailable ? 2 : 1;
        });
    return cli.execute(args);
  }

  @Override
  public void run() {
    spec.commandLine().usage(System.out);
  }

  /** `mapsync chaos list`. */
  @Command(name = "list", description = "The scenarios, with their default seed and duration.")
  static final class ListScenarios implements Runnable {
    @Override
    public void run() {
      for (Scenario s : ScenarioCatalog.all()) {
        System.out.printf(
            "%-28s seed %-5d %4ds  %s%n", s.name(), s.seed(), s.duration().toSeconds(), s.what());
      }
    }
  }

  /** Where runs keep their files, shared by run and all. */
  static class Where {
    @Option(
        names = "--dir",
        defaultValue = "chaos-runs",
        description = "where runs keep logs, histories, reports")
    Path dir;

    @Option(
        names = "--tls",
        description =
            "mutual TLS on every Raft and client port of the lab, with a CA made for the run")
    boolean tls;

    /** The scenario's plan, with the lab's TLS switched on when asked. */
    Plan withOptions(Plan p) {
      return tls ? p.withCluster(p.cluster().withTls(true)) : p;
    }
  }

  /** `mapsync chaos run SCENARIO [--seed N] [--duration D]`. */
  @Command(name = "run", description = "Run one scenario; exit 1 on any violation.")
  static final class RunOne extends Where implements Callable<Integer> {
    @Parameters(index = "0", description = "a name from `mapsync chaos list`")
    String name;

    @Option(names = "--seed", description = "default: the scenario's")
    Long seed;

    @Option(
        names = "--duration",
        description = "traffic and faults (e.g. 45s, 10m); default: the scenario's")
    String duration;

    @Override
    public Integer call() throws Exception {
      Scenario s = ScenarioCatalog.named(name);
      // the command line is judged before the lab, so a typo says so on any machine
      Duration d = duration == null ? s.duration() : SoakDurations.parse(duration);
      LabUnavailable.check();
      Outcome o =
          Outcome.of(
              s, ChaosRun.execute(withOptions(s.plan(seed == null ? s.seed() : seed, d)), dir));
      o.print();
      return o.exitCode();
    }
  }

  /** `mapsync chaos all [--repeat N]`. */
  @Command(
      name = "all",
      description =
          "Run every scenario with its default seed (--repeat times); exit 1 if any failed.")
  static final class RunAll extends Where implements Callable<Integer> {
    @Option(names = "--repeat", defaultValue = "1", description = "runs of each scenario in a row")
    int repeat;

    @Override
    public Integer call() throws Exception {
      LabUnavailable.check();
      List<String> table = new ArrayList<>();
      int failed = 0;
      for (int i = 0; i < repeat; i++) {
        for (Scenario s : ScenarioCatalog.all()) {
          Outcome o =
              Outcome.of(
                  s, ChaosRun.execute(withOptions(s.plan()), dir.resolve("round-" + (i + 1))));
          failed += o.print() ? 0 : 1;
          table.add(o.row());
        }
      }
      System.out.println(
          "\nscenario                     seed   result  faults  first-write  converged  lost");
      table.forEach(System.out::println);
      System.out.printf("%d of %d run(s) failed%n", failed, table.size());
      return failed == 0 ? 0 : 1;
    }
  }
}
