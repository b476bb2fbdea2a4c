package io.mapsync.agent.doctor;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;

/** The clock, the data dir's fsync latency, and whether the agent's ports are free. */
final class HostChecks {
  /**
   * Past this median an fsync costs more than the commit it guards (Raft syncs its log per batch).
   */
  static final double SLOW_FSYNC_MS = 10;

  private HostChecks() {}

  static Finding clockSource(Path root) {
    Path f = root.resolve("sys/devices/system/clocksource/clocksource0/current_clocksource");
    String source;
    try {
      source = Files.readString(f).trim();
    } catch (IOException e) {
      return Finding.warn("clock source", "cannot read " + f, "run doctor on the host");
    }
    return switch (source) {
      case "tsc", "kvm-clock", "arch_sys_counter", "hyperv_clocksource_tsc_page" ->
          Finding.ok("clock source", source);
      default ->
          Finding.warn(
              "clock source",
              source
                  + ": every clock read is a slow hardware access (timestamps"
                  + " on each captured change)",
              "use tsc where the CPU has a stable one (clocksource=tsc on the kernel"
                  + " command line), kvm-clock in a VM");
    };
  }

  /**
   * Writes and fsyncs a small file in the data dir (or the nearest existing parent) a few times.
   */
  static Finding fsync(Path dataDir, int rounds) {
    Path dir = dataDir.toAbsolutePath();
    while (dir != null && !Files.isDirectory(dir)) {
      dir = dir.getParent();
    }
    if (dir == null) {
      return Finding.fail(
          "fsync " + dataDir, "no existing directory on the path", "create the data dir");
    }
    double[] ms = new double[rounds];
    Path probe = dir.resolve(".mapsync-doctor-" + ProcessHandle.current().pid());
    try (FileChannel ch =
        FileChannel.open(
            probe,
            StandardOpenOption.CREATE,
            StandardOpenOption.WRITE,
            StandardOpenOption.DELETE_ON_CLOSE)) {
      ByteBuffer block = ByteBuffer.allocate(4096);
      for (int i = 0; i < rounds; i++) {
        block.clear();
        ch.write(block, (long) i * 4096);
        long t = System.nanoTime();
        ch.force(false);
        ms[i] = (System.nanoTime() - t) / 1e6;
      }
    } catch (IOException e) {
      return Finding.fail(
          "fsync " + dir,
          "cannot write there: " + e.getMessage(),
          "make the data dir writable by the agent (the systemd unit's StateDirectory does)");
    }
    Arrays.sort(ms);
    double median = ms[rounds / 2];
    String detail =
        String.format(
            "median %.2f ms, max %.2f ms over %d fsyncs in %s",
            median, ms[rounds - 1], rounds, dir);
    return median <= SLOW_FSYNC_MS
        ? Finding.ok("fsync", detail)
        : Finding.warn(
            "fsync",
            detail + ": every commit waits for one",
            "put the data dir on a local SSD, not a network or spinning disk");
  }

  /** Binds the address the way the agent will; a busy one names the fix. */
  static Finding port(String role, String hostPort) {
    int colon = hostPort.lastIndexOf(':');
    String host = hostPort.substring(0, colon);
    int port = Integer.parseInt(hostPort.substring(colon + 1));
    try (ServerSocket s = new ServerSocket()) {
      s.bind(new InetSocketAddress(host, port));
      return Finding.ok("port " + role, hostPort + " is free");
    } catch (IOException e) {
      return Finding.fail(
          "port " + role,
          hostPort + " cannot be bound: " + e.getMessage(),
          "stop what listens there (ss -ltnp 'sport = :"
              + port
              + "') or choose another port in the config");
    }
  }
}
