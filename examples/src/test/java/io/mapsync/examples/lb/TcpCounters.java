package io.mapsync.examples.lb;

import io.mapsync.lab.Shell;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A host's kernel TCP counters (what nstat shows), read from /proc/net/snmp and /proc/net/netstat
 * in its namespace.
 */
final class TcpCounters {
  private final Map<String, Long> values;

  private TcpCounters(Map<String, Long> values) {
    this.values = values;
  }

  static TcpCounters of(Topology topology, String host) throws IOException {
    Map<String, Long> values = new HashMap<>();
    for (String file : List.of("/proc/net/snmp", "/proc/net/netstat")) {
      List<String> cmd = new ArrayList<>(topology.in(host));
      cmd.addAll(List.of("cat", file));
      parse(Shell.run(cmd.toArray(String[]::new)), values);
    }
    return new TcpCounters(values);
  }

  /** The files pair a header line ("Tcp: RtoAlgorithm ...") with a value line ("Tcp: 1 ..."). */
  private static void parse(String text, Map<String, Long> into) {
    String[] lines = text.split("\n");
    for (int i = 0; i + 1 < lines.length; i += 2) {
      String[] names = lines[i].trim().split("\\s+");
      String[] numbers = lines[i + 1].trim().split("\\s+");
      String group = names[0].replace(":", "");
      for (int j = 1; j < names.length && j < numbers.length; j++) {
        into.put(group + names[j], Long.parseLong(numbers[j]));
      }
    }
  }

  /**
   * e.g. "TcpExtTCPSynRetrans", "TcpRetransSegs", "TcpEstabResets"; 0 when the kernel has no such
   * counter.
   */
  long get(String name) {
    return values.getOrDefault(name, 0L);
  }

  long since(TcpCounters before, String name) {
    return get(name) - before.get(name);
  }
}
