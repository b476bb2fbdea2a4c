package io.mapsync.examples.lb;

import io.mapsync.lab.ChildProcess;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * iputils ping from one host of the topology, a fixed count at a fixed interval; the summary is
 * read at the end.
 */
final class Ping implements AutoCloseable {
  private static final Pattern SUMMARY =
      Pattern.compile("(\\d+) packets transmitted, (\\d+) received");

  final int count;
  final int intervalMs;
  private final ChildProcess process;

  Ping(Topology topology, String host, String target, int count, int intervalMs, Path log)
      throws IOException {
    this.count = count;
    this.intervalMs = intervalMs;
    List<String> cmd = new ArrayList<>(topology.in(host));
    cmd.addAll(
        List.of(
            "ping",
            "-n",
            "-q",
            "-c",
            String.valueOf(count),
            "-i",
            String.valueOf(intervalMs / 1000.0),
            "-W",
            "1",
            target));
    process = new ChildProcess("ping " + target, log, cmd);
  }

  /** Waits for the summary; returns how many of the echoes got no reply. */
  int lost() throws IOException, InterruptedException {
    Duration deadline = Duration.ofMillis((long) count * intervalMs * 3 + 30_000);
    if (!process.waitFor("packets transmitted", deadline)) {
      throw new AssertionError("ping did not finish: " + process.tail());
    }
    Thread.sleep(100); // the summary's line is complete
    Matcher m = SUMMARY.matcher(process.tail());
    if (!m.find()) {
      throw new AssertionError("no ping summary: " + process.tail());
    }
    return Integer.parseInt(m.group(1)) - Integer.parseInt(m.group(2));
  }

  @Override
  public void close() {
    process.close();
  }
}
