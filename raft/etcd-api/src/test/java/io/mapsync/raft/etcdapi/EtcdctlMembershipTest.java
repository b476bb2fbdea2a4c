package io.mapsync.raft.etcdapi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mapsync.store.cluster.ClusterMember;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Membership through etcdctl. In-memory only: adding a member that is not running would stall a
 * real Raft group, so this checks the translation (names in peer URLs, ids, learners) here.
 */
class EtcdctlMembershipTest {
  private InMemoryFacadeCluster cluster;
  private Etcdctl ctl;

  @BeforeEach
  void start() {
    cluster = new InMemoryFacadeCluster(3, InMemoryFacadeCluster.fastOptions());
    ctl = Etcdctl.against(String.join(",", cluster.endpoints()));
  }

  @AfterEach
  void stop() {
    cluster.close();
  }

  @Test
  void memberListShowsVotersWithDerivedIds() {
    List<String> lines = ctl.run("member", "list").ok().out().lines().toList();
    assertEquals(3, lines.size());
    for (int i = 1; i <= 3; i++) {
      String expected =
          MemberIds.hex(MemberIds.memberId("n" + i))
              + ", started, n"
              + i
              + ", http://127.0.0.1:"
              + (17000 + i)
              + ", "
              + cluster.endpoints().get(i - 1)
              + ", false";
      assertTrue(lines.contains(expected), lines + " lacks " + expected);
    }
  }

  @Test
  void aLearnerIsAddedAsAListenerNamedInItsPeerUrlAndRemovedById() throws Exception {
    String added =
        ctl.run("member", "add", "n4", "--peer-urls=http://n4@127.0.0.1:7004", "--learner")
            .ok()
            .out();
    String id = MemberIds.hex(MemberIds.memberId("n4"));
    assertTrue(
        added.startsWith(
            "Member " + id + " added to cluster " + MemberIds.hex(MemberIds.clusterId("test"))),
        added);
    ClusterMember n4 =
        cluster.leader().members().get().stream()
            .filter(m -> m.id().equals("n4"))
            .findFirst()
            .orElseThrow();
    assertEquals(new ClusterMember("n4", "127.0.0.1:7004", "", true), n4);
    assertTrue(
        ctl.run("member", "list")
            .ok()
            .out()
            .contains(id + ", started, n4, http://127.0.0.1:7004, , true"));

    Etcdctl.Result again = ctl.run("member", "add", "n4", "--peer-urls=http://n4@127.0.0.1:7005");
    assertTrue(again.err().contains("member ID already exist"), again.err());
    Etcdctl.Result promote = ctl.run("member", "promote", id);
    assertTrue(promote.err().contains("not supported"), promote.err());

    assertTrue(ctl.run("member", "remove", id).ok().out().startsWith("Member " + id + " removed"));
    assertEquals(3, cluster.leader().members().get().size());
    assertTrue(ctl.run("member", "remove", id).err().contains("member not found"));
  }

  @Test
  void aPeerUrlWithoutANameIsRefusedWithAnExplanation() {
    Etcdctl.Result nameless = ctl.run("member", "add", "n5", "--peer-urls=http://127.0.0.1:7005");
    assertNotEquals(0, nameless.exit());
    assertTrue(
        nameless.err().contains("InvalidArgument")
            && nameless.err().contains("http://n4@127.0.0.1:7004"),
        nameless.err());
  }
}
