package io.mapsync.raft.ratis;

import static io.mapsync.raft.ratis.Replicas.WAIT;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mapsync.tls.TestCa;
import io.mapsync.tls.TlsIdentity;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Mutual TLS between members: two members with certificates from the cluster's CA form the quorum;
 * a third with a certificate from another CA, or with none, receives nothing until it restarts with
 * a good one.
 */
class RatisTlsTest {
  private static final Duration DAY = Duration.ofDays(1);

  /**
   * Long enough for several heartbeats and retries, so a refused member had every chance to catch
   * up.
   */
  private static final long REFUSED_FOR_MS = 2_000;

  @TempDir Path dir;
  private final List<AutoCloseable> open = new ArrayList<>();
  private final Map<String, String> peers = new LinkedHashMap<>();

  @AfterEach
  void closeAll() throws Exception {
    for (int i = open.size() - 1; i >= 0; i--) {
      open.get(i).close();
    }
  }

  @Test
  void onlyMembersWithACertificateFromTheCaTakePart() throws Exception {
    TestCa ca = TestCa.init(dir.resolve("ca"), "cluster-ca", DAY);
    TestCa other = TestCa.init(dir.resolve("other"), "other-ca", DAY);
    for (String id : List.of("n1", "n2", "n3")) {
      peers.put(id, "127.0.0.1:" + LocalCluster.freePort());
    }
    RatisNode n1 = start("n1", identity(ca, "n1"));
    start("n2", identity(ca, "n2"));
    n1.awaitLeader(WAIT);
    Replicas.registerMap(n1.store());
    long last = Replicas.write(n1.store(), 0, 5, 1);

    RatisNode stranger = start("n3", identity(other, "n3"));
    Thread.sleep(REFUSED_FOR_MS);
    assertTrue(
        Replicas.local(stranger).isEmpty(),
        "a member with another CA's certificate received the log");
    stranger.close();

    RatisNode plain = start("n3", null);
    Thread.sleep(REFUSED_FOR_MS);
    assertTrue(Replicas.local(plain).isEmpty(), "a plain-text member received the log");
    plain.close();

    RatisNode good = start("n3", identity(ca, "n3"));
    Replicas.get(good.awaitApplied(last));
    assertEquals(5, Replicas.local(good).size(), "with a good certificate it catches up");
  }

  @Test
  void theNettyTransportRefusesTls() throws Exception {
    TestCa ca = TestCa.init(dir.resolve("ca"), "cluster-ca", DAY);
    peers.put("n1", "127.0.0.1:" + LocalCluster.freePort());
    RatisConfig config =
        RatisConfig.builder("n1")
            .peers(peers)
            .dataDir(dir.resolve("n1"))
            .transport(Transport.NETTY)
            .build();
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class, () -> RatisNode.start(config, identity(ca, "n1")));
    assertEquals(
        "TLS between members needs the grpc transport; n1 is set to netty", e.getMessage());
  }

  private TlsIdentity identity(TestCa ca, String id) throws Exception {
    TlsIdentity tls = TlsIdentity.load(ca.issue(id, List.of("127.0.0.1", "localhost"), DAY));
    open.add(tls);
    return tls;
  }

  private RatisNode start(String id, TlsIdentity tls) throws Exception {
    // each start of n3 is a new, empty member
    RatisConfig config =
        RatisConfig.builder(id).peers(peers).dataDir(dir.resolve(id + "-" + open.size())).build();
    RatisNode node = RatisNode.start(config, tls);
    open.add(node);
    return node;
  }
}
