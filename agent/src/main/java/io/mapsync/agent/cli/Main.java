package io.mapsync.agent.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The mapsync binary: one entry point for the agent, the client commands and the benchmarks. */
@Command(
    name = "mapsync",
    mixinStandardHelpOptions = true,
    versionProvider = VersionProvider.class,
    description = "Replicates BPF maps (load-balancer sessions, NAT tables, connection tables) across hosts.",
    subcommands = {
      AgentCommand.class,
      CommandLine.HelpCommand.class
    })
public final class Main implements Runnable {
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  public static void main(String[] args) {
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
