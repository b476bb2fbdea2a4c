package io.mapsync.raft.etcdapi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mapsync.tls.TestCa;
import io.mapsync.tls.TlsFiles;
import io.mapsync.tls.TlsIdentity;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * etcd's Auth service from the real etcdctl: users, roles, key-range permissions, auth enable and
 * disable; with auth on, {@code --user} decides what a client may read and write, a wrong password
 * is refused, the auth records cannot be read or written through the KV calls, and with client
 * certificates the certificate's common name is the user.
 */
class FacadeAuthTest {
  private static final Duration DAY = Duration.ofDays(1);

  @TempDir Path dir;

  private static void refused(Etcdctl.Result r, String why) {
    assertNotEquals(0, r.exit(), r.out());
    assertTrue(r.err().contains(why), "wanted '" + why + "' in: " + r.err());
  }

  /** root, a reader of /maps/ and a writer of /maps/lb/ only; auth enabled. */
  private static void setUp(Etcdctl ctl, String... tls) {
    String[][] steps = {
      {"user", "add", "root:rootpw"},
      {"user", "grant-role", "root", "root"},
      {"role", "add", "reader"},
      {"role", "grant-permission", "reader", "read", "/maps/", "--prefix"},
      {"role", "add", "lb-writer"},
      {"role", "grant-permission", "lb-writer", "readwrite", "/maps/lb/", "--prefix"},
      {"user", "add", "alice:alicepw"},
      {"user", "grant-role", "alice", "reader"},
      {"user", "add", "bob:bobpw"},
      {"user", "grant-role", "bob", "lb-writer"},
    };
    for (String[] step : steps) {
      ctl.run(concat(tls, step)).ok();
    }
    assertTrue(
        ctl.run(concat(tls, "auth", "enable")).ok().out().contains("Authentication Enabled"));
  }

  @Test
  void usersRolesAndPermissionsDecideWhoReadsAndWritesWhat() {
    try (EtcdApiServer server =
        EtcdApiServer.start(InMemoryServedCluster.group(1).get(0), "127.0.0.1", 0)) {
      Etcdctl ctl = Etcdctl.against(server.endpoint());
      ctl.run("put", "/maps/lb/1", "a").ok();
      setUp(ctl);

      refused(ctl.run("get", "/maps/lb/1"), "user name is empty");
      refused(ctl.run("--user=alice:wrong", "get", "/maps/lb/1"), "authentication failed");
      refused(ctl.run("--user=nobody:x", "get", "/maps/lb/1"), "authentication failed");

      assertEquals(
          "/maps/lb/1\na\n", ctl.run("--user=alice:alicepw", "get", "/maps/lb/1").ok().out());
      ctl.run("--user=alice:alicepw", "get", "/maps/", "--prefix").ok();
      refused(ctl.run("--user=alice:alicepw", "put", "/maps/lb/1", "b"), "permission denied");
      refused(ctl.run("--user=alice:alicepw", "get", "/other"), "permission denied");
      refused(ctl.run("--user=alice:alicepw", "user", "add", "eve:evepw"), "permission denied");

      ctl.run("--user=bob:bobpw", "put", "/maps/lb/2", "b").ok();
      ctl.run("--user=bob:bobpw", "del", "/maps/lb/2").ok();
      refused(ctl.run("--user=bob:bobpw", "put", "/maps/nat/1", "x"), "permission denied");
      // The range /maps/ is wider than bob's /maps/lb/: not covered, so refused as a whole.
      refused(ctl.run("--user=bob:bobpw", "get", "/maps/", "--prefix"), "permission denied");
      Etcdctl.Result txn =
          ctl.runWithInput(
              "\nput /maps/lb/3 c\nput /maps/nat/3 c\n\n\n", "--user=bob:bobpw", "txn");
      assertTrue(txn.err().contains("permission denied"), txn.err() + txn.out());

      // The records: hidden from every user but root, and never written through the KV calls.
      refused(
          ctl.run("--user=alice:alicepw", "get", "/mapsync/auth/", "--prefix"),
          "permission denied");
      refused(
          ctl.run("--user=root:rootpw", "put", "/mapsync/auth/users/eve", "x"), "/mapsync/auth/");
      refused(ctl.run("--user=root:rootpw", "del", "/mapsync/", "--prefix"), "/mapsync/auth/");
      refused(ctl.run("--user=root:rootpw", "user", "delete", "root"), "invalid auth management");

      // A revoked permission takes effect at once, with the token alice already holds.
      ctl.run("--user=root:rootpw", "role", "revoke-permission", "reader", "/maps/", "--prefix")
          .ok();
      refused(ctl.run("--user=alice:alicepw", "get", "/maps/lb/1"), "permission denied");
      String roles = ctl.run("--user=root:rootpw", "user", "get", "bob").ok().out();
      assertTrue(roles.contains("lb-writer"), roles);
      String perms = ctl.run("--user=root:rootpw", "role", "get", "lb-writer").ok().out();
      assertTrue(perms.contains("[/maps/lb/, /maps/lb0)"), perms);

      ctl.run("--user=root:rootpw", "auth", "disable").ok();
      assertEquals("/maps/lb/1\na\n", ctl.run("get", "/maps/lb/1").ok().out());
      // The gate's refusals above; wrong passwords and "invalid auth management" are the service's.
      assertEquals(11, server.refusedByAuth());
    }
  }

  @Test
  void aClientCertificatesCommonNameIsItsUser() throws Exception {
    TestCa ca = TestCa.init(dir.resolve("ca"), "cluster-ca", DAY);
    try (TlsIdentity serverTls = TlsIdentity.load(ca.issue("n1", List.of("127.0.0.1"), DAY));
        EtcdApiServer server =
            EtcdApiServer.start(
                InMemoryServedCluster.group(1).get(0),
                new InetSocketAddress("127.0.0.1", 0),
                EtcdApiOptions.defaults(),
                serverTls)) {
      Etcdctl ctl = Etcdctl.against(server.endpoint());
      String[] admin = tls(ca.issue("admin", List.of(), DAY));
      String[] alice = tls(ca.issue("alice", List.of(), DAY));
      String[] mallory = tls(ca.issue("mallory", List.of(), DAY));
      ctl.run(concat(admin, "put", "/maps/lb/1", "a")).ok();
      setUp(ctl, admin);

      assertEquals("/maps/lb/1\na\n", ctl.run(concat(alice, "get", "/maps/lb/1")).ok().out());
      refused(ctl.run(concat(alice, "put", "/maps/lb/1", "b")), "permission denied");
      // A certificate from the CA whose name is no user may do nothing.
      refused(ctl.run(concat(mallory, "get", "/maps/lb/1")), "permission denied");
      // A token, when given, names the user instead of the certificate.
      ctl.run(concat(alice, "--user=bob:bobpw", "put", "/maps/lb/1", "b")).ok();
      assertEquals("/maps/lb/1\nb\n", ctl.run(concat(alice, "get", "/maps/lb/1")).ok().out());
    }
  }

  private static String[] tls(TlsFiles f) {
    return new String[] {"--cacert=" + f.ca(), "--cert=" + f.cert(), "--key=" + f.key()};
  }

  private static String[] concat(String[] first, String... rest) {
    String[] out = new String[first.length + rest.length];
    System.arraycopy(first, 0, out, 0, first.length);
    System.arraycopy(rest, 0, out, first.length, rest.length);
    return out;
  }
}
