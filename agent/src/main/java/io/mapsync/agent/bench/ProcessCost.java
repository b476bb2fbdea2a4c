package io.mapsync.agent.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
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

  /** Bytes sent so far on the process's open TCP sockets (all of them: peers and clients). */
  static long tcpBytesSent(long pid) {
    try {
      Process ss = new ProcessBuilder("ss", "-tinpHO").redirectErrorStream(true).start();
      String out = new String(ss.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
      ss.waitFor();
      long sum = 0;
      String owner = "pid=" + pid + ",";
      for (String line : out.split("\n")) {
        if (line.contains(owner)) {
          Matcher m = BYTES_SENT.matcher(line);
          if (m.find()) {
            sum += Long.parseLong(m.group(1));
          }
        }
      }
      return sum;
    } catch (IOException e) {
      throw new IllegalStateException("cannot run ss (iproute2) to read socket counters: " + e.getMessage(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return 0;
    }
  }
}
