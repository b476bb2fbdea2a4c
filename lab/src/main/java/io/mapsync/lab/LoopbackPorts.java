package io.mapsync.lab;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Free loopback ports for the members a lab starts, each handed out once per JVM and chosen below
 * the kernel's ephemeral range. A port from bind(0) comes from that range and is free again the
 * moment its probe socket closes: a second bind(0) may return it for another member, or one of the
 * agents' outgoing connections may take it before its member binds it, and Ratis then exits the
 * whole process ("Address already in use").
 */
public final class LoopbackPorts {
  private static final Set<Integer> HANDED_OUT = ConcurrentHashMap.newKeySet();
  private static final Random RANDOM = new Random();

  private LoopbackPorts() {}

  /** A loopback port nobody listens on now and this JVM has not handed out before. */
  public static int free() throws IOException {
    int below = ephemeralLow();
    for (int attempt = 0; attempt < 1000; attempt++) {
      int port = 10_000 + RANDOM.nextInt(Math.max(1, below - 10_000));
      if (HANDED_OUT.contains(port)) {
        continue;
      }
      try (ServerSocket s = new ServerSocket(port, 1, InetAddress.getLoopbackAddress())) {
        if (HANDED_OUT.add(port)) {
          return port;
        }
      } catch (IOException taken) {
        // in use: try another
      }
    }
    throw new IOException("no free loopback port between 10000 and " + below);
  }

  private static int ephemeralLow() {
    try {
      String range = Files.readString(Path.of("/proc/sys/net/ipv4/ip_local_port_range")).trim();
      int low = Integer.parseInt(range.split("\\s+")[0]);
      return low > 11_000 ? low : 32_768;
    } catch (IOException | RuntimeException e) {
      return 32_768;
    }
  }
}
