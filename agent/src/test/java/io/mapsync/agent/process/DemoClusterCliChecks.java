package io.mapsync.agent.process;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.mapsync.agent.cli.CliRun;
import java.io.IOException;
import java.net.ServerSocket;

/**
 * The CLI's conventions (those of etcdctl and bpftool) on a running cluster: output ends with a
 * newline, -o json is JSON and -o table is the default, exit codes as `mapsync --help` lists them,
 * errors on stderr and nothing on stdout.
 */
final class DemoClusterCliChecks {
  private static final ObjectMapper JSON = new ObjectMapper();

  private DemoClusterCliChecks() {}

  static void all(String endpoints) throws IOException {
    JsonNode status = json(ok("status", "--endpoints", endpoints, "-o", "json"));
    assertTrue(
        !status.get("leader").asText().isEmpty(), "status -o json names no leader: " + status);
    assertEquals(3, status.get("members").size(), status.toString());
    assertEquals(3, json(ok("members", "list", "--endpoints", endpoints, "-o", "json")).size());
    assertEquals(
        "sessions",
        json(ok("map", "list", "--endpoints", endpoints, "-o", "json"))
            .get(0)
            .get("name")
            .asText());
    assertEquals(
        "lru_hash",
        json(ok("map", "list", "--endpoints", endpoints, "-o", "json"))
            .get(0)
            .get("type")
            .asText());
    String entries = ok("get", "--endpoints", endpoints, "sessions", "-o", "json");
    for (String line : entries.lines().toList()) {
      JsonNode e = json(line);
      assertTrue(e.has("key") && e.has("value") && e.get("mod_revision").asLong() > 0, line);
    }
    assertTrue(
        ok("get", "--endpoints", endpoints, "sessions", "-o", "table")
            .contains("0900000000000000"));
    assertTrue(ok("status", "--endpoints", endpoints).startsWith("leader: n"));
    assertTrue(json(ok("version", "-o", "json")).has("mapsync"));

    failsWith(
        2,
        "'yaml' is not table or json",
        "get",
        "--endpoints",
        endpoints,
        "sessions",
        "-o",
        "yaml");
    failsWith(
        2, "KEY: 'zz' is not hex bytes", "put", "--endpoints", endpoints, "sessions", "zz", "00");
    failsWith(
        1,
        "not found in map 'sessions'",
        "get",
        "--endpoints",
        endpoints,
        "sessions",
        "ffffffffffffffff");
    failsWith(
        3, "mapsync: store:", "get", "--endpoints", "127.0.0.1:" + unusedPort(), "sessions", "00");
  }

  /**
   * Runs a command that must succeed; retried for up to 60 s, since on a loaded machine an election
   * may be under way (status then exits 1, a linearizable read 3).
   */
  private static String ok(String... args) {
    long deadline = System.nanoTime() + 60_000_000_000L;
    CliRun r = CliRun.of(args);
    while (r.exitCode() != 0 && System.nanoTime() < deadline) {
      sleep();
      r = CliRun.of(args);
    }
    assertEquals(
        0,
        r.exitCode(),
        String.join(" ", args) + "\nstdout:\n" + r.out() + "\nstderr:\n" + r.err());
    assertTrue(
        r.out().endsWith("\n"),
        String.join(" ", args) + ": output does not end with a newline: " + r.out());
    return r.out();
  }

  private static void sleep() {
    try {
      Thread.sleep(500);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static void failsWith(int code, String message, String... args) {
    CliRun r = CliRun.of(args);
    assertEquals(code, r.exitCode(), String.join(" ", args) + "\nstderr:\n" + r.err());
    assertEquals("", r.out(), String.join(" ", args) + " printed its error on stdout");
    assertTrue(
        r.err().contains(message),
        String.join(" ", args) + ": stderr lacks '" + message + "':\n" + r.err());
  }

  private static JsonNode json(String text) throws IOException {
    return JSON.readTree(text);
  }

  private static int unusedPort() throws IOException {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }
}
