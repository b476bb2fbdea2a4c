package io.mapsync.chaos;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mapsync.lab.Prerequisites;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * `./mapsync chaos run kill-leader --seed 1 --duration 10s` as a user types it, on the binary the
 * build made (agent/target/mapsync.jar; the suite's classes from chaos/target/classes): exit 0 and
 * the report printed. Violations giving a non-zero exit is {@code run.ChaosExitCodeTest}.
 */
class BinaryChaosRunTest {
  private static final Path REPO = Path.of("").toAbsolutePath().getParent();
  private static final Path JAR = REPO.resolve("agent/target/mapsync.jar");

  @BeforeAll
  static void lab() {
    LabRequirements.check();
    Prerequisites.require(
        Files.isRegularFile(JAR),
        "no " + JAR + ": build the agent first (mvn -pl chaos -am verify does)");
  }

  @Test
  void chaosRunFromTheBinaryPassesAndPrintsItsReport() throws Exception {
    Path out = Files.createDirectories(Scenarios.RUNS.resolve("binary")).resolve("stdout.txt");
    ProcessBuilder pb =
        new ProcessBuilder(
                List.of(
                    REPO.resolve("mapsync").toString(),
                    "chaos",
                    "run",
                    "kill-leader",
                    "--seed",
                    "1",
                    "--duration",
                    "10s",
                    // with TLS: the lab's agents and clients over mutual TLS, at no extra CI cost
                    "--tls",
                    "--dir",
                    Scenarios.RUNS.resolve("binary").toString()))
            .redirectErrorStream(true)
            .redirectOutput(out.toFile());
    // the jar as it is: ./mapsync would otherwise rebuild it when sources look newer
    pb.environment().put("MAPSYNC_JAR", JAR.toString());
    Process p = pb.start();
    try {
      assertTrue(
          p.waitFor(5, TimeUnit.MINUTES), "mapsync chaos run did not end within 5 minutes; " + out);
    } finally {
      p.destroy();
      p.onExit().get(30, TimeUnit.SECONDS);
    }
    String printed = read(out);
    assertEquals(0, p.exitValue(), printed);
    assertTrue(printed.contains("chaos run 'kill-leader' seed 1: PASSED"), printed);
    assertTrue(printed.contains("lost acknowledged writes: 0"), printed);
    assertTrue(printed.contains("first write after a fault:"), printed);
    try (var configs = Files.walk(Scenarios.RUNS.resolve("binary"))) {
      List<Path> n1 = configs.filter(f -> f.getFileName().toString().equals("n1.yaml")).toList();
      assertTrue(!n1.isEmpty(), "no member config under " + Scenarios.RUNS.resolve("binary"));
      for (Path config : n1) {
        assertTrue(read(config).contains("tls:\n  ca: "), "the lab ran without TLS: " + config);
      }
    }
  }

  private static String read(Path p) throws IOException {
    return Files.readString(p, StandardCharsets.UTF_8);
  }
}
