package io.mapsync.raft.etcdapi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.etcd.jetcd.Client;
import io.etcd.jetcd.api.LeaseGrpc;
import io.etcd.jetcd.api.LeaseTimeToLiveRequest;
import io.etcd.jetcd.options.LeaseOption;
import io.etcd.jetcd.options.PutOption;
import io.grpc.ClientInterceptors;
import io.grpc.Metadata;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.MetadataUtils;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Lease deadlines live on the leader: a follower forwards keep-alives and time-to-live to the
 * leader's etcd port, follows leadership when it moves, and never forwards a forwarded call.
 */
class LeaderForwardingTest {
  private InMemoryFacadeCluster cluster;
  private Client follower;

  @BeforeEach
  void start() {
    cluster = new InMemoryFacadeCluster(2, InMemoryFacadeCluster.fastOptions());
    follower = Client.builder().endpoints(cluster.endpoints().get(1)).build();
  }

  @AfterEach
  void stop() {
    follower.close();
    cluster.close();
  }

  @Test
  void aFollowerForwardsKeepAliveAndTimeToLiveToTheLeader() throws Exception {
    var lease = follower.getLeaseClient();
    long id = lease.grant(30).get(10, TimeUnit.SECONDS).getID();
    follower
        .getKVClient()
        .put(
            JetcdSuite.bs("fwd/k"), JetcdSuite.bs("v"), PutOption.builder().withLeaseId(id).build())
        .get();

    assertEquals(30, lease.keepAliveOnce(id).get(10, TimeUnit.SECONDS).getTTL());
    var ttl =
        lease
            .timeToLive(id, LeaseOption.builder().withAttachedKeys().build())
            .get(10, TimeUnit.SECONDS);
    assertEquals(30, ttl.getGrantedTTL());
    assertEquals(MemberIds.memberId("n1"), ttl.getHeader().getMemberId(), "answered by the leader");
    assertEquals("fwd/k", JetcdSuite.str(ttl.getKeys().get(0)));

    Thread.sleep(2500);
    assertTrue(lease.timeToLive(id, LeaseOption.DEFAULT).get(10, TimeUnit.SECONDS).getTTL() <= 27);
    cluster.members().get(0).electLeader("n2");
    var now = lease.timeToLive(id, LeaseOption.DEFAULT).get(10, TimeUnit.SECONDS);
    assertEquals(
        MemberIds.memberId("n2"), now.getHeader().getMemberId(), "n2 leads now and answers itself");
    assertTrue(
        now.getTTL() >= 28, "a new leader starts every lease at its full TTL, not " + now.getTTL());
  }

  @Test
  void aLeaseGrantedThroughAFollowerExpiresOnTheLeader() throws Exception {
    long id = follower.getLeaseClient().grant(2).get(10, TimeUnit.SECONDS).getID();
    follower
        .getKVClient()
        .put(
            JetcdSuite.bs("fwd/expiring"),
            JetcdSuite.bs("v"),
            PutOption.builder().withLeaseId(id).build())
        .get();
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(8);
    while (cluster.leader().localState().leases().containsKey(id)) {
      assertTrue(System.nanoTime() < deadline, "lease " + id + " never expired");
      Thread.sleep(100);
    }
    assertEquals(0, follower.getKVClient().get(JetcdSuite.bs("fwd/expiring")).get().getCount());
  }

  @Test
  void aForwardedCallReachingANonLeaderIsRefusedNotForwardedAgain() {
    Metadata forwarded = new Metadata();
    forwarded.put(Metadata.Key.of("mapsync-forwarded", Metadata.ASCII_STRING_MARSHALLER), "1");
    try (RawClient raw = new RawClient(cluster.endpoints().get(1))) {
      var stub =
          LeaseGrpc.newBlockingStub(
                  ClientInterceptors.intercept(
                      raw.channel, MetadataUtils.newAttachHeadersInterceptor(forwarded)))
              .withDeadlineAfter(5, TimeUnit.SECONDS);
      Status status =
          Status.fromThrowable(
              assertThrows(
                  StatusRuntimeException.class,
                  () ->
                      stub.leaseTimeToLive(LeaseTimeToLiveRequest.newBuilder().setID(1).build())));
      assertEquals(Status.Code.FAILED_PRECONDITION, status.getCode());
      assertEquals("etcdserver: not leader", status.getDescription());
    }
  }
}
