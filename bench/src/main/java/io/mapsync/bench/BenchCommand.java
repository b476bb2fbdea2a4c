package io.mapsync.bench;

import picocli.CommandLine.Command;

/** Benchmarks: each prints JSON and a readable table; results are kept in docs/benchmarks.md. */
@Command(
    name = "bench",
    mixinStandardHelpOptions = true,
    description =
        "Measure: capture (kernel), store (the log), sync (end to end), fanout (listeners), bootstrap (1M entries).",
    subcommands = {
      io.mapsync.bench.capture.CaptureBenchCommand.class,
      io.mapsync.bench.store.StoreBench.class,
      io.mapsync.bench.sync.SyncBenchCommand.class,
      io.mapsync.bench.sync.FanoutBenchCommand.class,
      io.mapsync.bench.bootstrap.BootstrapBenchCommand.class
    })
public final class BenchCommand implements Runnable {
  @picocli.CommandLine.Spec picocli.CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(System.out);
  }
}
