package io.mapsync.agent.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The mapsync binary: one entry point for the agent, the client commands and the benchmarks. */
@Command(
    name = "mapsync",
    mixinStandardHelpOptions = true,
    versionProvider = VersionProvider.class,
    description =
        "Replicates BPF maps (load-balancer sessions, NAT tables, connection tables) across hosts.",
    exitCodeListHeading = "%nExit codes:%n",
    exitCodeList = {
      "0:success",
      "1:not found, a member unreachable, a doctor check failed, anything else",
      "2:bad input: a flag, the config file, hex bytes (the message names it)",
      "3:the store failed or cannot be reached (an agent: restart it)",
      "4:the kernel refused (permission, full map, unsupported)"
    },
    footer = {"", "docs/operations.md says what each error means and what to do."},
    subcommands = {
      AgentCommand.class,
      DemoCommand.class,
      MapKeyCommands.Put.class,
      MapKeyCommands.Get.class,
      MapKeyCommands.Del.class,
      WatchCommand.class,
      StatusCommand.class,
      MembersCommand.class,
      MapCommand.class,
      CertsCommand.class,
      io.mapsync.agent.trace.TraceCommand.class,
      io.mapsync.bench.BenchCommand.class,
      DoctorCommand.class,
      VersionCommand.class,
      picocli.AutoComplete.GenerateCompletion.class,
      ChaosLauncher.class,
      CommandLine.HelpCommand.class
    })
public final class Main implements Runnable {
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  /** Held so the JDK does not collect the configured loggers (it keeps only weak references). */
  private static final java.util.logging.Logger[] QUIET = {
    java.util.logging.Logger.getLogger("io.grpc"), java.util.logging.Logger.getLogger("io.netty")
  };

  public static void main(String[] args) {
    // gRPC logs through java.util.logging; its start-up chatter would end up in command output.
    for (java.util.logging.Logger l : QUIET) {
      l.setLevel(java.util.logging.Level.WARNING);
    }
    System.exit(run(args));
  }

  /** Runs a command line and returns its exit code (for tests that call the CLI in-process). */
  public static int run(String... args) {
    CommandLine cli = new CommandLine(new Main());
    cli.setExecutionExceptionHandler(new ErrorHandler());
    return cli.execute(args);
  }

  @Override
  public void run() {
    spec.commandLine().usage(System.out);
  }
}
