package io.mapsync.agent.cli;

import picocli.CommandLine.Command;

/** Benchmarks: each prints JSON and a readable table; results are kept in docs/benchmarks.md. */
@Command(name = "bench", mixinStandardHelpOptions = true,
    description = "Measure: capture (kernel), store (the log), sync (end to end), fanout (listeners).",
    subcommands = {io.mapsync.bpf.bench.CaptureBenchCommand.class, io.mapsync.raft.ratis.bench.StoreBench.class,
        io.mapsync.agent.bench.SyncBenchCommand.class, io.mapsync.agent.bench.FanoutBenchCommand.class})
final class BenchCommand implements Runnable {
  @picocli.CommandLine.Spec picocli.CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(System.out);
  }
}
