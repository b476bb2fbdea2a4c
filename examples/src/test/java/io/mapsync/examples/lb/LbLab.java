package io.mapsync.examples.lb;

import io.mapsync.bpf.testing.Require;
import io.mapsync.lab.ChildProcess;
import io.mapsync.lab.Prerequisites;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The example's shared lab for a test class: the namespace topology, the two echo backends and the
 * client, checked for what they need (root, bpffs, BTF, tools, the built binary) first. Closing
 * stops the processes and removes the namespaces and pins.
 */
final class LbLab implements AutoCloseable {
  static final Path MODULE = Path.of("").toAbsolutePath();
  static final Path JAR = MODULE.getParent().resolve("agent/target/mapsync.jar");

  final Topology topology;
  final Client client;
  final Path work;
  private final List<ChildProcess> backends = new ArrayList<>();

  private LbLab(Topology topology, Client client, Path work) {
    this.topology = topology;
    this.client = client;
    this.work = work;
  }

  static LbLab open() throws Exception {
    Require.bpf();
    Prerequisites.require(
        Files.exists(Path.of("/sys/kernel/btf/vmlinux")),
        "the kernel has no BTF (/sys/kernel/btf/vmlinux), "
            + "needed by the emit header's CO-RE access to struct bpf_map");
    for (String tool : List.of("ip", "tc", "nsenter", "bash")) {
      Prerequisites.tool(tool);
    }
    Prerequisites.require(
        Files.isRegularFile(JAR),
        "the mapsync binary " + JAR + " is not built (mvn -pl examples -am verify builds it)");
    Path work =
        Files.createDirectories(MODULE.resolve("target/lb-test/" + System.currentTimeMillis()));
    Topology topology = new Topology(MODULE);
    List<ChildProcess> started = new ArrayList<>();
    try {
      for (int i = 0; i < Topology.BACKENDS.size(); i++) {
        String name = "b" + (i + 1);
        List<String> cmd = new ArrayList<>(topology.in(name));
        cmd.addAll(
            Java.command(EchoServer.class, name, String.valueOf(Topology.BACKENDS.get(i).port())));
        started.add(new ChildProcess("backend " + name, work.resolve(name + ".log"), cmd));
      }
      for (ChildProcess b : started) {
        b.awaitLine("listening", Duration.ofSeconds(60));
      }
      LbLab lab = new LbLab(topology, new Client(topology), work);
      lab.backends.addAll(started);
      return lab;
    } catch (Exception | Error e) {
      started.forEach(ChildProcess::close);
      topology.close();
      throw e;
    }
  }

  /** Fresh datapaths on LB1 and LB2, requests through LB1, replies through replyLb. */
  void reset(int replyLb, boolean derive) throws Exception {
    topology.enterVia(1);
    topology.returnVia(replyLb);
    topology.installLb(1, derive);
    topology.installLb(2, derive);
  }

  @Override
  public void close() throws Exception {
    try {
      client.close();
      backends.forEach(ChildProcess::close);
    } finally {
      topology.close();
    }
  }
}
