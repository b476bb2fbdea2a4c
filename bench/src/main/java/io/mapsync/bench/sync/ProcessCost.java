package io.mapsync.bench.sync;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What another process costs, read from outside: CPU seconds from /proc/PID/stat and the bytes its
 * TCP sockets have sent (bytes_sent from {@code ss -ti}, the kernel's per-socket counter), so the
 * leader's fan-out is measured without instrumenting it.
 */
final class ProcessCost {
  private static final long TICKS_PER_SECOND = 100; // USER_HZ on Linux
  private static final Pattern BYTES_SENT = Pattern.compile("bytes_sent:(\\d+)");

  private ProcessCost() {}

  /** User + system CPU seconds the process has used so far. */
  static double cpuSeconds(long pid) {
    try {
      String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
      String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
      return (Long.parseLong(f[11]) + Long.parseLong(f[12])) / (double) TICKS_PER_SECOND;
    } catch (IOException e) {
      throw new IllegalStateException("process " + pid + " is gone: " + e.getMessage(), e);
    }
  }

  /**
   * Bytes sent on each of the process's open TCP sockets, by local and peer address: a phase's
   * figure is the growth of the sockets open at both ends of it plus what new sockets sent (bytes
   * of a socket closed meanwhile are not counted, so a reconnect undercounts, never goes negative).
   */
  static Map<String, Long> tcpBytesSent(long pid) {
    try {
      Process ss = new ProcessBuilder("ss", "-tinpHO").redirectErrorStream(true).start();
      String out =
          new String(ss.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
      ss.waitFor();
      Map<String, Long> sockets = new HashMap<>();
      String owner = "pid=" + pid + ",";
      for (String line : out.split("\n")) {
        if (line.contains(owner)) {
          Matcher m = BYTES_SENT.matcher(line);
          String[] f = line.trim().split("\\s+");
          if (m.find() && f.length > 4) {
            sockets.put(f[3] + ">" + f[4], Long.parseLong(m.group(1)));
          }
        }
      }
      return sockets;
    } catch (IOException e) {
      throw new IllegalStateException(
          "cannot run ss (iproute2) to read socket counters: " + e.getMessage(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return Map.of();
    }
  }

  /** What the sockets sent between two readings of {@link #tcpBytesSent}. */
  static long sentBetween(Map<String, Long> before, Map<String, Long> after) {
    long sum = 0;
    for (var e : after.entrySet()) {
      sum += Math.max(0, e.getValue() - before.getOrDefault(e.getKey(), 0L));
    }
    return sum;
  }
}
