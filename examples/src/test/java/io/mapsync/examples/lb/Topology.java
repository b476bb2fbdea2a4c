package io.mapsync.examples.lb;

import io.mapsync.lab.Shell;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/**
 * The example's network, through the same lb/topology.sh that run.sh uses, under a prefix of its
 * own so a test run never touches a hand-run topology. Closing deletes the namespaces and pins.
 */
final class Topology implements AutoCloseable {
  /** The topology script and the datapath installer's JVM take longer than a tool, under load. */
  private static final Duration SLOW_COMMAND = Duration.ofMinutes(3);

  static final Endpoint VIP = Endpoint.parse("10.13.13.13:8000");
  static final List<Endpoint> BACKENDS =
      List.of(Endpoint.parse("10.13.2.11:8080"), Endpoint.parse("10.13.2.12:8080"));

  final String prefix;
  private final Path script;
  private final List<Integer> lbs = new ArrayList<>();

  Topology(Path moduleDir) throws IOException {
    this.prefix = "mslt" + ProcessHandle.current().pid() % 100000;
    this.script = moduleDir.resolve("lb/topology.sh");
    run("down"); // what a killed earlier run with the same prefix may have left
    try {
      run("up");
    } catch (IOException e) {
      run("down");
      throw e;
    }
    lbs.addAll(List.of(1, 2));
  }

  Path pinRoot(int lb) {
    return Path.of("/sys/fs/bpf/mapsync-lb", prefix, "lb" + lb);
  }

  LbState lb(int n) {
    return new LbState(pinRoot(n));
  }

  /**
   * The command prefix that runs a program in one of the hosts (nsenter keeps /sys/fs/bpf; ip netns
   * exec would not).
   */
  List<String> in(String host) {
    return List.of("nsenter", "--net=/run/netns/" + prefix + "-" + host);
  }

  void addLb(int n) throws IOException {
    if (!lbs.contains(n)) {
      run("add-lb", String.valueOf(n));
      lbs.add(n);
    }
  }

  void enterVia(int lb) throws IOException {
    run("enter-via", String.valueOf(lb));
  }

  /** lbN's host dies for the network: both its links go down. */
  void cut(int lb) throws IOException {
    run("cut", String.valueOf(lb));
  }

  void returnVia(int lb) throws IOException {
    run("return-via", String.valueOf(lb));
  }

  /** A fresh datapath on lbN: no filters, no pins, then lb.bpf.o installed with empty maps. */
  void installLb(int n) throws IOException {
    installLb(n, true);
  }

  /**
   * The same, with derive false: a reply with no session leaves untranslated (lbrp's and the
   * thesis's way).
   */
  void installLb(int n, boolean derive) throws IOException {
    installLb(
        n,
        "--vip",
        VIP.toString(),
        "--backend",
        BACKENDS.get(0).toString(),
        "--backend",
        BACKENDS.get(1).toString(),
        "--derive",
        derive ? "on" : "off");
  }

  /** The same, with the services of an lb YAML file. */
  void installLb(int n, Path config) throws IOException {
    installLb(n, "--config", config.toString());
  }

  private void installLb(int n, String... options) throws IOException {
    List<String> reset = new ArrayList<>(in("lb" + n));
    reset.addAll(List.of("tc", "qdisc", "del", "dev", "front", "clsact"));
    Shell.runAllowingFailure(reset);
    deleteTree(pinRoot(n));
    List<String> cmd = new ArrayList<>(in("lb" + n));
    List<String> args =
        new ArrayList<>(List.of("--pin-root", pinRoot(n).toString(), "--dev", "front"));
    args.addAll(List.of(options));
    cmd.addAll(Java.command(LbInstaller.class, args.toArray(String[]::new)));
    Shell.run(new ProcessBuilder(cmd), SLOW_COMMAND);
  }

  private void run(String... args) throws IOException {
    List<String> cmd = new ArrayList<>(List.of("bash", script.toString()));
    cmd.addAll(List.of(args));
    ProcessBuilder pb = new ProcessBuilder(cmd);
    pb.environment().put("LB_PREFIX", prefix);
    Shell.run(pb, SLOW_COMMAND);
  }

  static void deleteTree(Path dir) throws IOException {
    if (Files.exists(dir)) {
      try (Stream<Path> s = Files.walk(dir)) {
        for (Path p : s.sorted(Comparator.reverseOrder()).toList()) {
          Files.delete(p);
        }
      }
    }
  }

  @Override
  public void close() throws IOException {
    run("down");
  }
}
