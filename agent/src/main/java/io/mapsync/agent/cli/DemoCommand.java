package io.mapsync.agent.cli;

import io.mapsync.bpf.BpfMap;
import io.mapsync.bpf.MapEntry;
import io.mapsync.bpf.UpdateFlag;
import io.mapsync.lab.AgentProcesses;
import io.mapsync.lab.DemoPki;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * The main job on one machine: a local cluster of three agents (separate processes, embedded
 * store), each with its own real BPF map; a network-function stand-in writes one map with bpf() and
 * the entries appear in the others.
 */
@Command(
    name = "demo",
    mixinStandardHelpOptions = true,
    description = "Run a local 3-agent cluster replicating real BPF maps, and show it working.")
final class DemoCommand implements Callable<Integer> {
  private static final HexFormat HEX = HexFormat.of();

  @Option(
      names = "--seconds",
      defaultValue = "0",
      description = "stop after this long (default: until Ctrl-C)")
  int seconds;

  @Option(names = "--writes", defaultValue = "5", description = "entries to write into n1's map")
  int writes;

  @Option(
      names = "--tls",
      description = "mutual TLS between the agents and on their client ports (a throw-away CA)")
  boolean tls;

  @Override
  public Integer call() throws Exception {
    try (DemoPki pki = tls ? DemoPki.create(3) : null;
        AgentProcesses agents =
            new AgentProcesses(
                3,
                "sessions:lru_hash:8:8:65536",
                "/sys/fs/bpf/mapsync-demo",
                pki == null ? List.of() : pki.agentArgs())) {
      Thread cleanup =
          new Thread(
              () -> {
                try {
                  agents.close();
                } catch (Exception e) {
                  // best effort on Ctrl-C
                }
              },
              "mapsync-demo-cleanup");
      Runtime.getRuntime().addShutdownHook(cleanup);
      System.out.println("starting three agents (n1, n2, n3), each with its own map 'sessions'...");
      agents.start(false);
      agents
          .clients()
          .forEach(
              (id, addr) ->
                  System.out.printf("  %s: map %s, etcd API on %s%n", id, agents.pin(id), addr));
      try (BpfMap n1 = BpfMap.openPinned(agents.pin("n1"))) {
        System.out.printf(
            "%nwriting %d sessions into n1's map with bpf() (as a network function would)...%n",
            writes);
        long started = System.nanoTime();
        for (int i = 1; i <= writes; i++) {
          n1.update(le(i), le(1000L + i), UpdateFlag.ANY);
        }
        for (String id : List.of("n2", "n3")) {
          try (BpfMap m = BpfMap.openPinned(agents.pin(id))) {
            while (m.dump().size() < writes && System.nanoTime() - started < 10_000_000_000L) {
              Thread.sleep(1);
            }
            System.out.printf("%s's map after %.1f ms:%n", id, (System.nanoTime() - started) / 1e6);
            for (MapEntry e : m.dump()) {
              System.out.printf(
                  "  key %s value %s%n", HEX.formatHex(e.key()), HEX.formatHex(e.value()));
            }
          }
        }
      }
      String endpoints = String.join(",", agents.clients().values());
      String flags =
          pki == null
              ? ""
              : String.format(
                  " --cacert %s --cert %s --key %s",
                  pki.client().ca(), pki.client().cert(), pki.client().key());
      String etcdEndpoints = pki == null ? endpoints : endpoints.replace("127.", "https://127.");
      System.out.printf(
          "%nthe cluster keeps running; try, in another terminal (from this directory):%n");
      for (String command :
          tryThese(
              endpoints,
              etcdEndpoints,
              flags,
              agents.pin("n1").toString(),
              agents.pin("n2").toString())) {
        System.out.println("  " + command);
      }
      System.out.println(
          seconds > 0 ? "stopping in " + seconds + " s" : "Ctrl-C stops it and removes the maps");
      Thread.sleep(seconds > 0 ? seconds * 1000L : Long.MAX_VALUE);
    }
    return 0;
  }

  /**
   * The commands the demo tells the user to try, in an order that tells a story: a write with
   * bpftool into n1's map shows up in the store and in n2's map. Every tool named here is installed
   * by the demo's set-up (scripts/setup --demo); DemoCommandIT runs each line as printed.
   */
  static List<String> tryThese(
      String endpoints, String etcdEndpoints, String tlsFlags, String n1Pin, String n2Pin) {
    return List.of(
        "./mapsync status --endpoints " + endpoints + tlsFlags,
        "bpftool map update pinned " + n1Pin + " key 9 0 0 0 0 0 0 0 value 7 0 0 0 0 0 0 0",
        "./mapsync get --endpoints " + endpoints + tlsFlags + " sessions",
        "bpftool map dump pinned " + n2Pin,
        "ETCDCTL_API=3 etcdctl --endpoints "
            + etcdEndpoints
            + tlsFlags
            + " get --prefix --keys-only /mapsync/specs/",
        "./mapsync members list --endpoints " + endpoints + tlsFlags + " -o json");
  }

  private static byte[] le(long v) {
    return ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(v).array();
  }
}
