package io.mapsync.raft.etcdapi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.etcd.jetcd.ByteSequence;
import io.etcd.jetcd.Client;
import io.grpc.netty.GrpcSslContexts;
import io.mapsync.tls.TestCa;
import io.mapsync.tls.TlsFiles;
import io.mapsync.tls.TlsIdentity;
import io.netty.handler.ssl.SslContext;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The etcd API with mutual TLS, from the real etcdctl and jetcd: clients with a certificate from
 * the CA are served; without one, with another CA's, with an expired one, or in plain text they are
 * refused; a rotated server certificate is served to the next connection without a restart.
 */
class FacadeTlsTest {
  private static final Duration DAY = Duration.ofDays(1);

  /** Refused dials fail fast; etcdctl's own defaults would make each refusal cost 5 s. */
  private static final String[] QUICK = {"--dial-timeout=2s", "--command-timeout=3s"};

  @TempDir Path dir;
  private TestCa ca;
  private TlsIdentity serverTls;
  private EtcdApiServer server;
  private final List<AutoCloseable> open = new ArrayList<>();

  @BeforeEach
  void serve() throws Exception {
    ca = TestCa.init(dir.resolve("ca"), "cluster-ca", DAY);
    serverTls = TlsIdentity.load(ca.issue("n1", List.of("127.0.0.1", "localhost"), DAY));
    server =
        EtcdApiServer.start(
            InMemoryServedCluster.group(1).get(0),
            new InetSocketAddress("127.0.0.1", 0),
            EtcdApiOptions.defaults(),
            serverTls);
  }

  @AfterEach
  void stop() throws Exception {
    for (AutoCloseable c : open) {
      c.close();
    }
    server.close();
    serverTls.close();
  }

  private String[] tlsFlags(TlsFiles f) {
    return new String[] {"--cacert=" + f.ca(), "--cert=" + f.cert(), "--key=" + f.key()};
  }

  private static String[] concat(String[]... parts) {
    List<String> out = new ArrayList<>();
    for (String[] p : parts) {
      out.addAll(List.of(p));
    }
    return out.toArray(String[]::new);
  }

  @Test
  void etcdctlWithACertificateFromTheCaIsServedAndOthersAreRefused() throws Exception {
    Etcdctl etcdctl = Etcdctl.against(server.endpoint());
    assertTrue(server.endpoint().startsWith("https://"), server.endpoint());
    TlsFiles client = ca.issue("reader", List.of(), DAY);
    etcdctl.run(concat(tlsFlags(client), new String[] {"put", "/k", "v"})).ok();
    assertEquals(
        "/k\nv\n", etcdctl.run(concat(tlsFlags(client), new String[] {"get", "/k"})).ok().out());

    TlsFiles noCert = new TlsFiles(client.ca(), client.cert(), client.key());
    Etcdctl.Result withoutCert =
        etcdctl.run(concat(QUICK, new String[] {"--cacert=" + noCert.ca(), "get", "/k"}));
    assertNotEquals(0, withoutCert.exit(), "no client certificate: " + withoutCert.out());

    TestCa other = TestCa.init(dir.resolve("other"), "other-ca", DAY);
    TlsFiles stranger = other.issue("stranger", List.of(), DAY);
    Etcdctl.Result otherCa =
        etcdctl.run(
            concat(
                QUICK,
                new String[] {
                  "--cacert=" + client.ca(),
                  "--cert=" + stranger.cert(),
                  "--key=" + stranger.key(),
                  "get",
                  "/k"
                }));
    assertNotEquals(0, otherCa.exit(), "a certificate from another CA: " + otherCa.out());

    Instant past = Instant.now().minus(Duration.ofDays(3));
    TlsFiles expired = ca.issue("expired", List.of(), past, past.plus(DAY));
    Etcdctl.Result old = etcdctl.run(concat(QUICK, tlsFlags(expired), new String[] {"get", "/k"}));
    assertNotEquals(0, old.exit(), "an expired certificate: " + old.out());

    Etcdctl plain = Etcdctl.against(server.endpoint().replace("https://", "http://"));
    Etcdctl.Result plainText = plain.run(concat(QUICK, new String[] {"get", "/k"}));
    assertNotEquals(0, plainText.exit(), "a plain-text client: " + plainText.out());
    // Told why, rather than left to time out.
    assertTrue(plainText.err().contains("serves TLS only"), plainText.err());
  }

  @Test
  void jetcdWithACertificateFromTheCaIsServedAndOthersAreRefused() throws Exception {
    TlsFiles client = ca.issue("app", List.of(), DAY);
    Client good = jetcd(client);
    good.getKVClient().put(bytes("/j"), bytes("1")).get(10, TimeUnit.SECONDS);
    assertEquals(1, good.getKVClient().get(bytes("/j")).get(10, TimeUnit.SECONDS).getCount());

    TestCa other = TestCa.init(dir.resolve("other"), "other-ca", DAY);
    TlsFiles stranger = other.issue("stranger", List.of(), DAY);
    refused(
        jetcd(new TlsFiles(client.ca(), stranger.cert(), stranger.key())),
        "another CA's certificate");
    Instant past = Instant.now().minus(Duration.ofDays(3));
    refused(jetcd(ca.issue("expired", List.of(), past, past.plus(DAY))), "an expired certificate");
    Client plain =
        Client.builder().endpoints(server.endpoint().replace("https://", "http://")).build();
    open.add(plain);
    Exception plainText =
        assertThrows(
            Exception.class,
            () -> plain.getKVClient().get(bytes("/j")).get(10, TimeUnit.SECONDS),
            "plain text was served");
    assertTrue(
        String.valueOf(plainText.getCause()).contains("serves TLS only"),
        String.valueOf(plainText.getCause()));
  }

  @Test
  void aRotatedServerCertificateIsServedToTheNextConnection() throws Exception {
    TlsFiles client = ca.issue("app", List.of(), DAY);
    assertEquals("CN=n1", serverCertificate(client).getSubjectX500Principal().getName());
    TlsFiles rotated = ca.issue("n1-rotated", List.of("127.0.0.1"), DAY);
    TlsFiles live = serverTls.files();
    Files.move(rotated.key(), live.key(), StandardCopyOption.REPLACE_EXISTING);
    Files.move(rotated.cert(), live.cert(), StandardCopyOption.REPLACE_EXISTING);
    assertTrue(serverTls.reloadIfChanged());
    assertEquals("CN=n1-rotated", serverCertificate(client).getSubjectX500Principal().getName());
    Client jetcd = jetcd(client);
    jetcd.getKVClient().put(bytes("/after"), bytes("rotation")).get(10, TimeUnit.SECONDS);
  }

  /** The certificate the server presents to a new connection. */
  private X509Certificate serverCertificate(TlsFiles client) throws Exception {
    try (TlsIdentity id = TlsIdentity.load(client)) {
      SSLContext ctx = SSLContext.getInstance("TLS");
      ctx.init(
          new javax.net.ssl.KeyManager[] {id.keyManager()},
          new javax.net.ssl.TrustManager[] {id.trustManager()},
          null);
      try (SSLSocket s =
          (SSLSocket) ctx.getSocketFactory().createSocket("127.0.0.1", server.port())) {
        s.setSoTimeout(10_000);
        s.startHandshake();
        return (X509Certificate) s.getSession().getPeerCertificates()[0];
      }
    }
  }

  /**
   * A jetcd client from the files as they are (no checks of ours), as any etcd application would
   * build it.
   */
  private Client jetcd(TlsFiles f) throws Exception {
    SslContext ssl =
        GrpcSslContexts.forClient()
            .trustManager(f.ca().toFile())
            .keyManager(f.cert().toFile(), f.key().toFile())
            .build();
    Client c =
        Client.builder()
            .endpoints(server.endpoint())
            .sslContext(ssl)
            .connectTimeout(Duration.ofSeconds(2))
            .retryMaxAttempts(0)
            .build();
    open.add(c);
    return c;
  }

  private static void refused(Client c, String who) {
    assertThrows(
        Exception.class,
        () -> c.getKVClient().get(bytes("/j")).get(3, TimeUnit.SECONDS),
        who + " was served");
  }

  private static ByteSequence bytes(String s) {
    return ByteSequence.from(s, StandardCharsets.UTF_8);
  }
}
