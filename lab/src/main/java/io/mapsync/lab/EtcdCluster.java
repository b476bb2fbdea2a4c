package io.mapsync.lab;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A local three-member etcd cluster (Debian's /usr/bin/etcd) on loopback, for side-by-side runs.
 */
public final class EtcdCluster implements LocalLog {
  private final List<Process> members = new ArrayList<>();
  private final List<String> clientUrls = new ArrayList<>();
  private final Path dataRoot;

  private EtcdCluster(Path dataRoot) {
    this.dataRoot = dataRoot;
  }

  public static EtcdCluster start(int size) throws Exception {
    EtcdCluster c = new EtcdCluster(Files.createTempDirectory("mapsync-etcd"));
    List<String> peerUrls = new ArrayList<>();
    for (int i = 0; i < size; i++) {
      peerUrls.add("http://127.0.0.1:" + LoopbackPorts.free());
      c.clientUrls.add("http://127.0.0.1:" + LoopbackPorts.free());
    }
    StringBuilder initial = new StringBuilder();
    for (int i = 0; i < size; i++) {
      initial.append(i == 0 ? "" : ",").append("e").append(i).append('=').append(peerUrls.get(i));
    }
    for (int i = 0; i < size; i++) {
      c.members.add(
          new ProcessBuilder(
                  "/usr/bin/etcd",
                  "--name",
                  "e" + i,
                  "--data-dir",
                  c.dataRoot.resolve("e" + i).toString(),
                  "--listen-peer-urls",
                  peerUrls.get(i),
                  "--initial-advertise-peer-urls",
                  peerUrls.get(i),
                  "--listen-client-urls",
                  c.clientUrls.get(i),
                  "--advertise-client-urls",
                  c.clientUrls.get(i),
                  "--initial-cluster",
                  initial.toString(),
                  "--initial-cluster-state",
                  "new",
                  "--initial-cluster-token",
                  "mapsync-bench")
              .redirectErrorStream(true)
              .redirectOutput(c.dataRoot.resolve("e" + i + ".log").toFile())
              .start());
    }
    c.awaitHealthy();
    return c;
  }

  private void awaitHealthy() throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (System.nanoTime() < deadline) {
      Process p =
          new ProcessBuilder(
                  "/usr/bin/etcdctl",
                  "--endpoints",
                  String.join(",", clientUrls),
                  "endpoint",
                  "health")
              .redirectErrorStream(true)
              .start();
      p.getInputStream().readAllBytes();
      if (p.waitFor() == 0) {
        return;
      }
      Thread.sleep(200);
    }
    throw new IOException("the local etcd cluster did not become healthy; see " + dataRoot);
  }

  /** The members' client URLs. */
  public List<String> endpoints() {
    return List.copyOf(clientUrls);
  }

  @Override
  public List<String> agentArgs() {
    return List.of("--backend", "etcd", "--etcd-endpoints", String.join(",", clientUrls));
  }

  @Override
  public void close() {
    members.forEach(Process::destroy);
    for (Process p : members) {
      try {
        p.waitFor(10, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    try (Stream<Path> s = Files.walk(dataRoot)) {
      s.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException e) {
      // best effort
    }
  }
}
