package io.mapsync.examples.lb;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mapsync.bpf.testing.Require;
import io.mapsync.lab.LoopbackPorts;
import io.mapsync.lab.Prerequisites;
import io.mapsync.lab.Shell;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * {@code ./mapsync demo lb} (examples/lb/demo.sh) interrupted with Ctrl-C once it runs traffic
 * leaves nothing behind: no process it started, no namespace, no pin, no work file.
 */
@Timeout(value = 5, unit = TimeUnit.MINUTES)
@Tag("long") // minutes of agent JVMs: outside the default run, see docs/operations.md
class DemoCleanupTest {
  @Test
  void ctrlCRemovesEveryNamespacePinAndProcess() throws Exception {
    Require.bpf();
    for (String tool : List.of("ip", "tc", "nsenter", "bash", "ping")) {
      Prerequisites.tool(tool);
    }
    Prerequisites.require(
        Files.isRegularFile(LbLab.JAR),
        "the mapsync binary "
            + LbLab.JAR
            + " is not built (mvn -pl examples -am verify builds it)");
    String prefix = "msdm" + ProcessHandle.current().pid() % 100000;
    Path work = Path.of("/tmp/mapsync-lb", prefix);
    Path pins = Path.of("/sys/fs/bpf/mapsync-lb", prefix);
    Path log = Files.createDirectories(LbLab.MODULE.resolve("target/lb-test")).resolve("demo.log");
    ProcessBuilder pb =
        new ProcessBuilder("bash", LbLab.MODULE.resolve("lb/demo.sh").toString())
            .redirectErrorStream(true)
            .redirectOutput(log.toFile());
    pb.environment().put("LB_NO_BUILD", "1");
    pb.environment().put("MAPSYNC_JAR", LbLab.JAR.toString());
    pb.environment().put("LB_PREFIX", prefix);
    pb.environment().put("LB_RAFT_PORTS", ports());
    pb.environment().put("LB_CLIENT_PORTS", ports());
    Process demo = pb.start();
    List<Long> started = new ArrayList<>();
    try {
      long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(3);
      while (!Files.readString(log).contains("new flows through the VIP")) {
        assertTrue(demo.isAlive(), "the demo ended early:\n" + Files.readString(log));
        assertTrue(
            System.nanoTime() < deadline, "the demo did not start:\n" + Files.readString(log));
        Thread.sleep(200);
      }
      Thread.sleep(1000); // traffic and the watcher are running
      try (Stream<Path> files = Files.list(work)) {
        for (Path f : files.filter(f -> f.toString().endsWith(".pid")).toList()) {
          started.add(Long.parseLong(Files.readString(f).strip()));
        }
      }
      Shell.run("kill", "-INT", String.valueOf(demo.pid()));
      assertTrue(demo.waitFor(2, TimeUnit.MINUTES), "the demo ended after Ctrl-C");
    } finally {
      if (demo.isAlive()) {
        demo.destroyForcibly();
        Shell.runAllowingFailure(
            List.of("bash", LbLab.MODULE.resolve("lb/run.sh").toString(), "down"));
      }
    }
    String out = Files.readString(log);
    assertTrue(out.contains("cleaning up"), out);
    assertTrue(started.size() >= 5, "the backends and the agents had pid files: " + started);
    for (long pid : started) {
      assertFalse(
          ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false),
          "process " + pid + " the demo started has ended");
    }
    String namespaces = Shell.run("ip", "netns", "list");
    assertEquals(
        List.of(),
        namespaces.lines().filter(l -> l.startsWith(prefix + "-")).toList(),
        "no namespace is left");
    assertFalse(Files.exists(pins), "no pin is left under " + pins);
    assertFalse(Files.exists(work), "no work file is left in " + work);
  }

  private static String ports() throws java.io.IOException {
    List<String> out = new ArrayList<>();
    for (int i = 0; i < 4; i++) {
      out.add(String.valueOf(LoopbackPorts.free()));
    }
    return String.join(" ", out);
  }
}
