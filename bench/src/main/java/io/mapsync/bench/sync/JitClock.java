package io.mapsync.bench.sync;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/**
 * CPU time the JIT compiler threads of other processes have used, read from /proc. The agents' code
 * (gRPC, Netty, Ratis, protobuf, mapsync) takes minutes of load to compile; on a 2-core host the
 * compiler threads of three agents take a third of the CPU meanwhile, so a benchmark that starts
 * measuring too early measures the JIT. Warm-up lasts until this clock slows down.
 */
final class JitClock {
  private static final long TICKS_PER_SECOND = 100; // USER_HZ on Linux

  private JitClock() {}

  /** Seconds of CPU used so far by the C1/C2 compiler threads of these processes. */
  static double seconds(List<Long> pids) {
    long ticks = 0;
    for (long pid : pids) {
      try (Stream<Path> tasks = Files.list(Path.of("/proc", Long.toString(pid), "task"))) {
        for (Path t : (Iterable<Path>) tasks::iterator) {
          ticks += compilerTicks(t);
        }
      } catch (IOException e) {
        // the process exited; its compiler time no longer matters
      }
    }
    return ticks / (double) TICKS_PER_SECOND;
  }

  private static long compilerTicks(Path task) {
    try {
      String name = Files.readString(task.resolve("comm")).trim();
      if (!name.startsWith("C1 Compiler") && !name.startsWith("C2 Compiler")) {
        return 0;
      }
      String stat = Files.readString(task.resolve("stat"));
      String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
      return Long.parseLong(f[11]) + Long.parseLong(f[12]); // utime, stime
    } catch (IOException | RuntimeException e) {
      return 0; // the thread ended meanwhile
    }
  }
}
