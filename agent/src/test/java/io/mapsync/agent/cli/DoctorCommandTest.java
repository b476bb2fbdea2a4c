package io.mapsync.agent.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.mapsync.bpf.testing.Require;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** mapsync doctor on this host: every check reported, a busy port fails with its fix. */
class DoctorCommandTest {
  @TempDir Path dataDir;

  @BeforeAll
  static void kernel() {
    Require.tracepoints();
  }

  @Test
  void aBusyPortFailsWithItsFixAndTheHostChecksPass() throws Exception {
    try (ServerSocket held = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
        ServerSocket free = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      int freePort = free.getLocalPort();
      free.close();
      String ports = "raft=127.0.0.1:" + held.getLocalPort() + ",client=127.0.0.1:" + freePort;
      CliRun r = CliRun.of("doctor", "--data-dir", dataDir.toString(), "--ports", ports);
      assertEquals(1, r.exitCode(), r.out() + r.err());
      assertTrue(r.out().endsWith("\n"));
      for (String line :
          new String[] {
            "OK   kernel",
            "OK   bpffs",
            "OK   tracefs",
            "OK   bpf maps",
            "OK   capture tier syscall",
            "capture tier fentry",
            "OK   capture tier scan",
            "clock source",
            "OK   fsync",
            "FAIL port raft",
            "OK   port client"
          }) {
        assertTrue(r.out().contains(line), "doctor's output lacks '" + line + "':\n" + r.out());
      }
      assertTrue(r.out().contains("fix: stop what listens there"), r.out());

      CliRun json =
          CliRun.of("doctor", "--data-dir", dataDir.toString(), "--ports", ports, "-o", "json");
      JsonNode checks = new ObjectMapper().readTree(json.out());
      assertTrue(checks.size() >= 12, json.out());
      for (JsonNode c : checks) {
        assertTrue(
            c.has("name") && c.has("status") && c.has("detail") && c.has("fix"), c.toString());
      }
    }
  }

  @Test
  void aMalformedPortIsBadInput() {
    CliRun r = CliRun.of("doctor", "--data-dir", dataDir.toString(), "--ports", "raft=nohost");
    assertEquals(ErrorHandler.CONFIG, r.exitCode(), r.err());
    assertEquals("", r.out());
    assertTrue(r.errorLines().stream().anyMatch(l -> l.contains("--ports raft")), r.err());
  }
}
