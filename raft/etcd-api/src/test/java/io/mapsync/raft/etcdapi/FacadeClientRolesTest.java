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
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Certificate common names mapped to a read-only role, from the real etcdctl and jetcd: the
 * "reader" certificate may get and read-only txn but its put, delete and writing txn are refused
 * with etcd's "permission denied" and counted; another certificate from the CA writes as before.
 */
class FacadeClientRolesTest {
  private static final Duration DAY = Duration.ofDays(1);

  @TempDir Path dir;
  private TestCa ca;
  private TlsIdentity serverTls;
  private EtcdApiServer server;

  @BeforeEach
  void serve() throws Exception {
    ca = TestCa.init(dir.resolve("ca"), "cluster-ca", DAY);
    serverTls = TlsIdentity.load(ca.issue("n1", List.of("127.0.0.1", "localhost"), DAY));
    server =
        EtcdApiServer.start(
            InMemoryServedCluster.group(1).get(0),
            new InetSocketAddress("127.0.0.1", 0),
            EtcdApiOptions.defaults().withReadOnlyClients(Set.of("reader")),
            serverTls);
  }

  @AfterEach
  void stop() {
    server.close();
    serverTls.close();
  }

  private static String[] with(TlsFiles f, String... args) {
    String[] out = new String[args.length + 3];
    out[0] = "--cacert=" + f.ca();
    out[1] = "--cert=" + f.cert();
    out[2] = "--key=" + f.key();
    System.arraycopy(args, 0, out, 3, args.length);
    return out;
  }

  @Test
  void etcdctlAsTheReaderMayReadButNotWrite() throws Exception {
    Etcdctl etcdctl = Etcdctl.against(server.endpoint());
    TlsFiles writer = ca.issue("writer", List.of(), DAY);
    TlsFiles reader = ca.issue("reader", List.of(), DAY);
    etcdctl.run(with(writer, "put", "/maps/lb/1", "a")).ok();

    assertEquals("/maps/lb/1\na\n", etcdctl.run(with(reader, "get", "/maps/lb/1")).ok().out());
    Etcdctl.Result put = etcdctl.run(with(reader, "put", "/maps/lb/1", "b"));
    assertNotEquals(0, put.exit(), put.out());
    assertTrue(put.err().contains("permission denied"), put.err());
    Etcdctl.Result del = etcdctl.run(with(reader, "del", "/maps/lb/1"));
    assertNotEquals(0, del.exit(), del.out());
    assertTrue(del.err().contains("permission denied"), del.err());
    Etcdctl.Result txn = etcdctl.runWithInput("\nput /maps/lb/1 c\n\n\n", with(reader, "txn"));
    assertTrue(txn.err().contains("permission denied"), txn.err() + txn.out());
    Etcdctl.Result readTxn =
        etcdctl.runWithInput("\nget /maps/lb/1\n\n\n", with(reader, "txn")).ok();
    assertTrue(readTxn.out().contains("a"), readTxn.out());

    assertEquals("/maps/lb/1\na\n", etcdctl.run(with(writer, "get", "/maps/lb/1")).ok().out());
    assertEquals(3, server.refusedWrites());
  }

  @Test
  void memberListShowsHttpsUrlsWithTls() throws Exception {
    TlsFiles reader = ca.issue("reader", List.of(), DAY);
    String out = Etcdctl.against(server.endpoint()).run(with(reader, "member", "list")).ok().out();
    assertTrue(out.contains("https://") && !out.contains("http://"), out);
  }

  @Test
  void jetcdAsTheReaderIsRefusedWrites() throws Exception {
    TlsFiles reader = ca.issue("reader", List.of(), DAY);
    try (Client c =
        Client.builder()
            .endpoints(server.endpoint())
            .sslContext(
                GrpcSslContexts.forClient()
                    .trustManager(reader.ca().toFile())
                    .keyManager(reader.cert().toFile(), reader.key().toFile())
                    .build())
            .retryMaxAttempts(0)
            .build()) {
      assertEquals(0, c.getKVClient().get(bytes("/j")).get(60, TimeUnit.SECONDS).getCount());
      ExecutionException e =
          assertThrows(
              ExecutionException.class,
              () -> c.getKVClient().put(bytes("/j"), bytes("1")).get(60, TimeUnit.SECONDS));
      assertTrue(
          String.valueOf(e.getCause().getMessage()).contains("permission denied"),
          String.valueOf(e.getCause()));
    }
    assertEquals(1, server.refusedWrites());
  }

  private static ByteSequence bytes(String s) {
    return ByteSequence.from(s, StandardCharsets.UTF_8);
  }
}
