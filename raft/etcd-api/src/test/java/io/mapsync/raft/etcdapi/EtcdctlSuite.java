package io.mapsync.raft.etcdapi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mapsync.lab.Prerequisites;
import io.mapsync.lab.Shell;
import java.time.Duration;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The real etcdctl (API v3) against the facade: what an operator types must work as with etcd. A
 * backend runs it by extending this class; every test uses its own keys, so one cluster serves the
 * whole class.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class EtcdctlSuite {
  private static final Pattern LEASE_ID =
      Pattern.compile("lease ([0-9a-f]+) granted with TTL\\((\\d+)s\\)");
  protected FacadeCluster cluster;
  protected Etcdctl ctl;

  /** A fresh cluster with the etcd API on every member. */
  protected abstract FacadeCluster openCluster() throws Exception;

  /** The member etcdctl talks to; a subclass may pick a follower to exercise forwarding. */
  protected String clientEndpoint() {
    return cluster.leaderEndpoint();
  }

  @BeforeAll
  void open() throws Exception {
    if (Shell.findTool("etcdctl").isPresent()) {
      cluster = openCluster();
      ctl = Etcdctl.against(clientEndpoint());
    }
  }

  /** Checked per test, so that each one is reported skipped (or failed) with the reason. */
  @BeforeEach
  void requireEtcdctl() {
    Prerequisites.tool("etcdctl", "Debian: apt-get install etcd-client");
  }

  @AfterAll
  void close() {
    if (cluster != null) {
      cluster.close();
    }
  }

  private static List<String> lines(String out) {
    return out.lines().toList();
  }

  @Test
  void putAndGetWithPrefixLimitKeysOnlyCountAndSort() {
    ctl.run("put", "get/a", "1").ok();
    ctl.run("put", "get/b", "2").ok();
    ctl.run("put", "get/c", "3").ok();
    ctl.run("put", "get/a", "4").ok();
    ctl.run("put", "getter", "no").ok();

    assertEquals(
        List.of("get/a", "4", "get/b", "2", "get/c", "3"),
        lines(ctl.run("get", "--prefix", "get/").ok().out()));
    assertEquals(
        List.of("get/a", "4", "get/b", "2"),
        lines(ctl.run("get", "--prefix", "get/", "--limit=2").ok().out()));
    assertEquals(
        List.of("get/a", "", "get/b", "", "get/c", ""),
        lines(ctl.run("get", "--prefix", "get/", "--keys-only").ok().out()));
    // etcdctl 3.4 has no --count-only (jetcd's test covers count_only); the count comes with any
    // read.
    String limited =
        ctl.run("get", "--prefix", "get/", "--limit=1", "--consistency=s", "-w", "json").ok().out();
    assertTrue(limited.contains("\"more\":true") && limited.contains("\"count\":3"), limited);
    // get/a was written last: newest modification first.
    assertEquals(
        List.of("get/a", "4", "get/c", "3", "get/b", "2"),
        lines(
            ctl.run("get", "--prefix", "get/", "--sort-by=MODIFY", "--order=DESCEND").ok().out()));
    assertEquals(
        List.of("get/c", "3"),
        lines(
            ctl.run("get", "--prefix", "get/", "--sort-by=KEY", "--order=DESCEND", "--limit=1")
                .ok()
                .out()));
    assertEquals(
        List.of("get/b", "2"),
        lines(
            ctl.run("get", "--prefix", "get/", "--sort-by=VALUE", "--order=ASCEND", "--limit=1")
                .ok()
                .out()));
    assertEquals(
        List.of("get/b", "2", "get/c", "3"), lines(ctl.run("get", "get/b", "getter").ok().out()));
    // No test of this class writes keys after "~": --from-key sees exactly these.
    ctl.run("put", "~from/1", "x").ok();
    assertEquals(List.of("~from/1", "x"), lines(ctl.run("get", "~from/", "--from-key").ok().out()));
  }

  @Test
  void getAtAnOlderRevision() {
    long first = ctl.run("put", "rev/k", "old", "-w", "json").ok().revision();
    long second = ctl.run("put", "rev/k", "new", "-w", "json").ok().revision();
    assertTrue(second > first);
    assertEquals(
        List.of("rev/k", "old"), lines(ctl.run("get", "rev/k", "--rev=" + first).ok().out()));
    assertEquals(List.of("rev/k", "new"), lines(ctl.run("get", "rev/k").ok().out()));
    assertTrue(
        ctl.run("get", "rev/k", "--rev=" + (second + 1000)).err().contains("future revision"));
  }

  @Test
  void deleteOneKeyAndAPrefixWithPreviousValues() {
    ctl.run("put", "del/1", "a").ok();
    ctl.run("put", "del/2", "b").ok();
    ctl.run("put", "del/3", "c").ok();
    assertEquals(List.of("1"), lines(ctl.run("del", "del/1").ok().out()));
    assertEquals(List.of("0"), lines(ctl.run("del", "del/1").ok().out()));
    assertEquals(
        List.of("2", "del/2", "b", "del/3", "c"),
        lines(ctl.run("del", "--prefix", "del/", "--prev-kv").ok().out()));
    assertEquals("", ctl.run("get", "--prefix", "del/").ok().out());
  }

  @Test
  void interactiveTxnTakesTheBranchItsComparesChoose() {
    ctl.run("put", "txn/k", "v1").ok();
    String swap = "value(\"txn/k\") = \"v1\"\n\nput txn/k v2\nget txn/k\n\nput txn/failed yes\n\n";
    assertEquals(
        List.of("SUCCESS", "", "OK", "", "txn/k", "v2"),
        lines(ctl.runWithInput(swap, "txn").ok().out()));
    // Same transaction again: the value is no longer v1.
    assertEquals(List.of("FAILURE", "", "OK"), lines(ctl.runWithInput(swap, "txn").ok().out()));
    assertEquals(List.of("txn/failed", "yes"), lines(ctl.run("get", "txn/failed").ok().out()));

    String versions =
        "ver(\"txn/k\") = \"2\"\nmod(\"txn/k\") > \"0\"\ncreate(\"txn/none\") = \"0\"\n\ndel txn/k\n\n\n";
    assertEquals(List.of("SUCCESS", "", "1"), lines(ctl.runWithInput(versions, "txn").ok().out()));
  }

  @Test
  void watchFromAPastRevisionWithAPrefix() throws Exception {
    long from = ctl.run("put", "watch/a", "1", "-w", "json").ok().revision();
    ctl.run("put", "watch/b", "2").ok();
    ctl.run("put", "elsewhere", "x").ok();
    try (Etcdctl.Running watch = ctl.start("watch", "--prefix", "watch/", "--rev=" + from)) {
      assertEquals(
          List.of("PUT", "watch/a", "1", "PUT", "watch/b", "2"),
          watch.next(6, Duration.ofSeconds(10)));
      ctl.run("put", "watch/c", "3").ok();
      ctl.run("del", "watch/a").ok();
      assertEquals(
          List.of("PUT", "watch/c", "3", "DELETE", "watch/a", ""),
          watch.next(6, Duration.ofSeconds(10)));
    }
  }

  @Test
  void leaseGrantKeepAliveTimeToLiveListAndRevoke() {
    Matcher granted = LEASE_ID.matcher(ctl.run("lease", "grant", "60").ok().out());
    assertTrue(granted.find());
    String id = granted.group(1);
    assertEquals("60", granted.group(2));
    ctl.run("put", "lease/k", "v", "--lease=" + id).ok();

    String ttl = ctl.run("lease", "timetolive", id, "--keys").ok().out();
    assertTrue(
        ttl.matches(
            "(?s)lease "
                + id
                + " granted with TTL\\(60s\\), remaining\\((5[0-9]|60)s\\), attached keys\\(\\[lease/k\\]\\)\n"),
        ttl);
    assertEquals(
        "lease " + id + " keepalived with TTL(60)\n",
        ctl.run("lease", "keep-alive", "--once", id).ok().out());
    assertTrue(ctl.run("lease", "list").ok().out().contains(id + "\n"));

    assertEquals("lease " + id + " revoked\n", ctl.run("lease", "revoke", id).ok().out());
    assertEquals("", ctl.run("get", "lease/k").ok().out());
    assertEquals(
        "lease " + id + " already expired\n", ctl.run("lease", "timetolive", id).ok().out());
    assertTrue(ctl.run("lease", "revoke", id).err().contains("requested lease not found"));
  }

  @Test
  void endpointStatusAndHealth() {
    String status = ctl.run("endpoint", "status", "-w", "json").ok().out();
    assertTrue(status.contains("\"version\":\"3.4.0\""), status);
    assertTrue(status.contains("\"leader\":"), status);
    assertTrue(
        ctl.run("endpoint", "status", "--cluster", "-w", "table").ok().out().contains("true"));
    Etcdctl.Result health = ctl.run("endpoint", "health", "--cluster").ok();
    assertEquals(
        cluster.endpoints().size(),
        (health.err() + health.out()).split("is healthy", -1).length - 1,
        health.err());
  }

  @Test
  void memberListShowsEveryMemberWithItsClientUrl() {
    List<String> members = lines(ctl.run("member", "list").ok().out());
    assertEquals(cluster.endpoints().size(), members.size());
    for (String endpoint : cluster.endpoints()) {
      assertTrue(
          members.stream().anyMatch(m -> m.contains(", started, ") && m.contains(endpoint)),
          members + " lacks " + endpoint);
    }
  }

  @Test
  void compactionMakesOlderRevisionsUnreadableAndUnwatchable() throws Exception {
    long first = ctl.run("put", "compact/k", "v1", "-w", "json").ok().revision();
    long second = ctl.run("put", "compact/k", "v2", "-w", "json").ok().revision();
    assertEquals(
        "compacted revision " + second + "\n",
        ctl.run("compaction", String.valueOf(second)).ok().out());

    Etcdctl.Result old = ctl.run("get", "compact/k", "--rev=" + first);
    assertNotEquals(0, old.exit());
    assertTrue(old.err().contains("required revision has been compacted"), old.err());
    assertEquals(
        List.of("compact/k", "v2"),
        lines(ctl.run("get", "compact/k", "--rev=" + second).ok().out()));
    assertTrue(
        ctl.run("compaction", String.valueOf(second))
            .err()
            .contains("required revision has been compacted"));

    try (Etcdctl.Running watch = ctl.start("watch", "compact/k", "--rev=" + first)) {
      assertTrue(
          watch
              .next(1, Duration.ofSeconds(10))
              .get(0)
              .contains("required revision has been compacted"));
    }
  }

  /**
   * etcdctl lock is clientv3's concurrency recipe: leases, create-revision compares, sorted reads,
   * watches.
   */
  @Test
  void lockRunsACommandWhileHoldingTheLock() throws Exception {
    try (Etcdctl.Running holder = ctl.start("lock", "suite-lock")) {
      String held = holder.next(1, Duration.ofSeconds(10)).get(0);
      assertTrue(held.startsWith("suite-lock/"), held);
      long start = System.nanoTime();
      try (Etcdctl.Running waiter = ctl.start("lock", "suite-lock", "echo", "got it")) {
        assertTrue(
            !waiter.waitForExit(Duration.ofMillis(700)),
            "the second locker must wait for the first");
        holder.close();
        assertEquals(List.of("got it"), waiter.next(1, Duration.ofSeconds(15)));
        assertTrue(waiter.waitForExit(Duration.ofSeconds(10)));
      }
      assertTrue(System.nanoTime() - start < Duration.ofSeconds(20).toNanos());
    }
  }

  @Test
  void unsupportedCommandsFailFastWithAReason() {
    // (move-leader is left to UnsupportedCallsTest: etcdctl refuses it itself unless given the
    // leader.)
    for (String[] command :
        List.of(
            new String[] {"defrag"},
            new String[] {"auth", "enable"},
            new String[] {"snapshot", "save", "/tmp/mapsync-etcdctl-test.db"})) {
      long start = System.nanoTime();
      Etcdctl.Result result = ctl.run(command);
      assertNotEquals(0, result.exit(), String.join(" ", command));
      assertTrue(
          result.err().contains("not supported"), String.join(" ", command) + ": " + result.err());
      assertTrue(
          System.nanoTime() - start < Duration.ofSeconds(5).toNanos(),
          String.join(" ", command) + " took too long");
    }
  }
}
