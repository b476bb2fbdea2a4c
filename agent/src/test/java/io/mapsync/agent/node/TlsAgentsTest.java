package io.mapsync.agent.node;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mapsync.agent.cli.CliRun;
import io.mapsync.agent.config.AgentConfig;
import io.mapsync.tls.TlsFiles;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Agents with tls: on, certificates made by `mapsync certs`: they form a cluster, the CLI with
 * --cacert/--cert/--key is served and without them refused; a bad file stops an agent at start with
 * one line naming it and exit code 2.
 */
class TlsAgentsTest {
  @TempDir Path dir;
  private final List<AgentNode> agents = new ArrayList<>();

  @AfterEach
  void stop() {
    agents.forEach(AgentNode::close);
  }

  private Path certs() {
    Path ca = dir.resolve("pki");
    assertEquals(0, CliRun.of("certs", "init", "--dir", ca.toString()).exitCode());
    for (String name : List.of("n1", "n2", "admin")) {
      CliRun issued = CliRun.of("certs", "issue", "--dir", ca.toString(), name);
      assertEquals(0, issued.exitCode(), issued.err());
    }
    return ca;
  }

  private static TlsFiles files(Path ca, String name) {
    return new TlsFiles(
        ca.resolve("ca.pem"), ca.resolve(name + ".pem"), ca.resolve(name + "-key.pem"));
  }

  private static int freePort() throws Exception {
    return io.mapsync.lab.LoopbackPorts.free();
  }

  @Test
  void agentsWithCertificatesServeTheCliWithACertificateOnly() throws Exception {
    Path ca = certs();
    Map<String, String> peers = new LinkedHashMap<>();
    Map<String, String> clients = new LinkedHashMap<>();
    for (String id : List.of("n1", "n2")) {
      peers.put(id, "127.0.0.1:" + freePort());
      clients.put(id, "127.0.0.1:" + freePort());
    }
    List<CompletableFuture<AgentNode>> starting = new ArrayList<>();
    for (String id : peers.keySet()) {
      AgentConfig c =
          new AgentConfig(
              "mapsync",
              id,
              dir.resolve(id),
              peers,
              List.of(),
              false,
              clients.get(id),
              "",
              new AgentConfig.StoreConfig(AgentConfig.Backend.RATIS, List.of(), "", Map.of()),
              new AgentConfig.Batching(64, Duration.ofMillis(1)),
              Duration.ZERO,
              List.of(),
              AgentConfig.DEFAULT_EMIT_PIN_ROOT,
              new AgentConfig.Tls(files(ca, id), Duration.ofSeconds(1)));
      starting.add(CompletableFuture.supplyAsync(() -> AgentNode.start(c)));
    }
    for (CompletableFuture<AgentNode> f : starting) {
      agents.add(f.get(120, TimeUnit.SECONDS));
    }
    TlsFiles admin = files(ca, "admin");
    CliRun status =
        CliRun.of(
            "status",
            "--endpoints",
            clients.get("n2"),
            "--cacert",
            admin.ca().toString(),
            "--cert",
            admin.cert().toString(),
            "--key",
            admin.key().toString(),
            "-o",
            "json");
    assertEquals(0, status.exitCode(), status.err());
    assertTrue(status.out().contains("\"leader\":\"n"), status.out());

    CliRun plain = CliRun.of("status", "--endpoints", clients.get("n2"));
    assertNotEquals(0, plain.exitCode(), "a plain-text client was served: " + plain.out());
    // Told at once that the port wants TLS, not left to time out.
    assertTrue(plain.err().contains("serves TLS only"), plain.err());
    CliRun half =
        CliRun.of("status", "--endpoints", clients.get("n2"), "--cacert", admin.ca().toString());
    assertEquals(
        List.of(
            "mapsync: --cacert, --cert and --key go together: the members require a client certificate"),
        half.errorLines());
  }

  @Test
  void aBadFileStopsTheAgentAtStartWithOneLineNamingIt() throws Exception {
    Path ca = certs();
    TlsFiles n1 = files(ca, "n1");
    TlsFiles n2 = files(ca, "n2");
    assertStartRefused(
        new TlsFiles(n1.ca(), dir.resolve("missing.pem"), n1.key()),
        "mapsync: tls: " + dir.resolve("missing.pem") + ": does not exist");
    assertStartRefused(
        new TlsFiles(n1.ca(), n1.cert(), n2.key()),
        "mapsync: tls: "
            + n2.key()
            + ": does not match the certificate in "
            + n1.cert()
            + " (a key of another certificate?)");
    assertStartRefused(
        new TlsFiles(n2.cert(), n1.cert(), n1.key()),
        "mapsync: tls: "
            + n2.cert()
            + ": 'n2' is not a CA certificate (no basicConstraints CA:true);"
            + " name the CA's certificate here, not a host's");
    Path unreadable = Files.writeString(dir.resolve("empty.pem"), "");
    assertStartRefused(
        new TlsFiles(n1.ca(), n1.cert(), unreadable),
        "mapsync: tls: "
            + unreadable
            + ": holds no unencrypted PEM private key (-----BEGIN PRIVATE KEY-----,"
            + " BEGIN RSA PRIVATE KEY or BEGIN EC PRIVATE KEY)");
  }

  private void assertStartRefused(TlsFiles tls, String line) throws Exception {
    Path yaml =
        Files.writeString(
            dir.resolve("agent.yaml"),
            String.join(
                "\n",
                "id: n1",
                "data_dir: " + dir.resolve("bad-n1"),
                "peers: {n1: 127.0.0.1:" + freePort() + "}",
                "tls:",
                "  ca: " + tls.ca(),
                "  cert: " + tls.cert(),
                "  key: " + tls.key(),
                ""));
    CliRun run = CliRun.of("agent", "--config", yaml.toString());
    assertEquals(2, run.exitCode(), run.err());
    assertEquals(List.of(line), run.errorLines());
  }
}
