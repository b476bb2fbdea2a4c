package io.mapsync.raft.etcdapi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.etcd.jetcd.ByteSequence;
import io.etcd.jetcd.Client;
import io.grpc.netty.GrpcSslContexts;
import io.mapsync.tls.TestCa;
import io.mapsync.tls.TlsFiles;
import io.mapsync.tls.TlsIdentity;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * CA rotation as docs/security.md describes it: every party trusts a bundle of the old and the new
 * CA, certificates are reissued from the new CA, then the old CA leaves the bundle. Clients of
 * either CA are served during the overlap; after the last step (a reload, no restart) only the new
 * CA's are.
 */
class FacadeCaRotationTest {
  private static final Duration DAY = Duration.ofDays(1);

  @TempDir Path dir;

  @Test
  void aBundleOfOldAndNewCaServesBothThenTheOldCaIsDropped() throws Exception {
    TestCa oldCa = TestCa.init(dir.resolve("old"), "old-ca", DAY);
    TestCa newCa = TestCa.init(dir.resolve("new"), "new-ca", DAY);
    Path bundle = dir.resolve("bundle.pem");
    Files.writeString(
        bundle,
        Files.readString(oldCa.issue("x", List.of(), DAY).ca())
            + Files.readString(newCa.issue("y", List.of(), DAY).ca()));
    Path live = dir.resolve("live");
    Files.createDirectories(live);
    TlsFiles first = oldCa.issue("n1", List.of("127.0.0.1"), DAY);
    TlsFiles serving =
        new TlsFiles(live.resolve("ca.pem"), live.resolve("n1.pem"), live.resolve("n1-key.pem"));
    Files.copy(bundle, serving.ca());
    Files.copy(first.cert(), serving.cert());
    Files.copy(first.key(), serving.key());

    TlsFiles oldClient = oldCa.issue("app-old", List.of(), DAY);
    TlsFiles newClient = newCa.issue("app-new", List.of(), DAY);
    try (TlsIdentity tls = TlsIdentity.load(serving);
        EtcdApiServer server =
            EtcdApiServer.start(
                InMemoryServedCluster.group(1).get(0),
                new InetSocketAddress("127.0.0.1", 0),
                EtcdApiOptions.defaults(),
                tls)) {
      put(server, bundle, oldClient, "/during-old", 60);
      put(server, bundle, newClient, "/during-new", 60);

      TlsFiles reissued = newCa.issue("n1", List.of("127.0.0.1"), DAY);
      Files.copy(reissued.key(), serving.key(), StandardCopyOption.REPLACE_EXISTING);
      Files.copy(reissued.cert(), serving.cert(), StandardCopyOption.REPLACE_EXISTING);
      Files.copy(reissued.ca(), serving.ca(), StandardCopyOption.REPLACE_EXISTING);
      assertTrue(tls.reloadIfChanged());

      put(server, bundle, newClient, "/after-new", 60);
      assertThrows(
          Exception.class,
          () -> put(server, bundle, oldClient, "/after-old", 3),
          "a client of the dropped CA was served");
    }
  }

  private static void put(
      EtcdApiServer server, Path trust, TlsFiles client, String key, int seconds) throws Exception {
    try (Client c =
        Client.builder()
            .endpoints(server.endpoint())
            .sslContext(
                GrpcSslContexts.forClient()
                    .trustManager(trust.toFile())
                    .keyManager(client.cert().toFile(), client.key().toFile())
                    .build())
            .connectTimeout(Duration.ofSeconds(10))
            .retryMaxAttempts(0)
            .build()) {
      ByteSequence k = ByteSequence.from(key, StandardCharsets.UTF_8);
      c.getKVClient().put(k, k).get(seconds, TimeUnit.SECONDS);
      assertEquals(1, c.getKVClient().get(k).get(60, TimeUnit.SECONDS).getCount());
    }
  }
}
