package io.mapsync.examples.lb;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Times many TCP connects through the VIP, one after another, each a new flow with one echoed line.
 */
final class ConnectTimes {
  private ConnectTimes() {}

  /**
   * Returns "connects OK FAILED P50_US P99_US MAX_US" over the successful connects' connect()
   * times.
   */
  static String run(Endpoint vip, int count, int timeoutMs) {
    long[] micros = new long[count];
    int ok = 0;
    for (int i = 0; i < count; i++) {
      long start = System.nanoTime();
      try (Socket s = new Socket()) {
        s.connect(vip.socketAddress(), timeoutMs);
        long connected = System.nanoTime();
        s.setSoTimeout(timeoutMs);
        s.getOutputStream().write(("c" + i + "\n").getBytes(StandardCharsets.UTF_8));
        if (new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.UTF_8))
                .readLine()
            != null) {
          micros[ok++] = (connected - start) / 1000;
        }
      } catch (IOException e) {
        // counted as failed
      }
    }
    long[] done = Arrays.copyOf(micros, ok);
    Arrays.sort(done);
    return String.format(
        "connects %d %d %d %d %d",
        ok, count - ok, percentile(done, 50), percentile(done, 99), ok == 0 ? 0 : done[ok - 1]);
  }

  private static long percentile(long[] sorted, int p) {
    return sorted.length == 0
        ? 0
        : sorted[Math.min(sorted.length - 1, (int) Math.ceil(p / 100.0 * sorted.length) - 1)];
  }
}
