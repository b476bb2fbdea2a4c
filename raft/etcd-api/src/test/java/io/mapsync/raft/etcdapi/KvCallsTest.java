package io.mapsync.raft.etcdapi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.ByteString;
import com.google.protobuf.CodedInputStream;
import com.google.protobuf.UnknownFieldSet;
import io.etcd.jetcd.api.Compare;
import io.etcd.jetcd.api.LeaseGrantRequest;
import io.etcd.jetcd.api.LeaseGrpc;
import io.etcd.jetcd.api.PutRequest;
import io.etcd.jetcd.api.PutResponse;
import io.etcd.jetcd.api.RangeRequest;
import io.etcd.jetcd.api.RequestOp;
import io.etcd.jetcd.api.TxnRequest;
import io.grpc.CallOptions;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.ClientCalls;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

/**
 * KV and lease calls at the protocol level: headers, etcd's request checks, fields jetcd's proto
 * lacks.
 */
class KvCallsTest {
  private InMemoryFacadeCluster cluster;
  private RawClient client;

  @BeforeEach
  void start() {
    cluster = new InMemoryFacadeCluster(1, InMemoryFacadeCluster.fastOptions());
    client = new RawClient(cluster.leaderEndpoint());
  }

  @AfterEach
  void stop() {
    client.close();
    cluster.close();
  }

  private static ByteString bs(String s) {
    return ByteString.copyFromUtf8(s);
  }

  private static PutRequest put(String key, String value) {
    return PutRequest.newBuilder().setKey(bs(key)).setValue(bs(value)).build();
  }

  private static Status failure(Executable call) {
    return Status.fromThrowable(assertThrows(StatusRuntimeException.class, call));
  }

  @Test
  void everyHeaderNamesClusterMemberRevisionAndTerm() {
    PutResponse put = client.kv().put(put("h", "v"));
    assertEquals(MemberIds.clusterId("test"), put.getHeader().getClusterId());
    assertEquals(MemberIds.memberId("n1"), put.getHeader().getMemberId());
    assertEquals(cluster.leader().localState().revision(), put.getHeader().getRevision());
    assertEquals(1, put.getHeader().getRaftTerm());
    var range = client.kv().range(RangeRequest.newBuilder().setKey(bs("h")).build());
    assertEquals(put.getHeader().getRevision(), range.getHeader().getRevision());
    assertEquals(put.getHeader().getRevision(), range.getKvs(0).getModRevision());
  }

  /**
   * jetcd-grpc's proto has no lease compare; etcd sends it as target 4 with the lease in field 8.
   */
  @Test
  void aTxnCanCompareAKeysLease() {
    long lease =
        LeaseGrpc.newBlockingStub(client.channel)
            .leaseGrant(LeaseGrantRequest.newBuilder().setTTL(60).build())
            .getID();
    client
        .kv()
        .put(
            PutRequest.newBuilder().setKey(bs("leased")).setValue(bs("v")).setLease(lease).build());
    assertTrue(client.kv().txn(txnIfLeaseIs(lease)).getSucceeded());
    assertFalse(client.kv().txn(txnIfLeaseIs(lease + 1)).getSucceeded());
  }

  private static TxnRequest txnIfLeaseIs(long lease) {
    Compare compare =
        Compare.newBuilder()
            .setKey(bs("leased"))
            .setResult(Compare.CompareResult.EQUAL)
            .setTargetValue(4)
            .setUnknownFields(
                UnknownFieldSet.newBuilder()
                    .addField(8, UnknownFieldSet.Field.newBuilder().addVarint(lease).build())
                    .build())
            .build();
    return TxnRequest.newBuilder().addCompare(compare).build();
  }

  @Test
  void badRequestsFailAsTheyWouldOnEtcd() {
    Status empty = failure(() -> client.kv().range(RangeRequest.getDefaultInstance()));
    assertEquals(Status.Code.INVALID_ARGUMENT, empty.getCode());
    assertEquals("etcdserver: key is not provided", empty.getDescription());

    RequestOp twice = RequestOp.newBuilder().setRequestPut(put("dup", "1")).build();
    assertEquals(
        "etcdserver: duplicate key given in txn request",
        failure(
                () ->
                    client
                        .kv()
                        .txn(TxnRequest.newBuilder().addSuccess(twice).addSuccess(twice).build()))
            .getDescription());

    TxnRequest.Builder huge = TxnRequest.newBuilder();
    for (int i = 0; i <= RequestChecks.MAX_TXN_OPS; i++) {
      huge.addSuccess(RequestOp.newBuilder().setRequestPut(put("many/" + i, "v")));
    }
    assertEquals(
        "etcdserver: too many operations in txn request",
        failure(() -> client.kv().txn(huge.build())).getDescription());

    assertEquals(
        "etcdserver: key not found",
        failure(
                () ->
                    client
                        .kv()
                        .put(
                            PutRequest.newBuilder()
                                .setKey(bs("missing"))
                                .setIgnoreValue(true)
                                .build()))
            .getDescription());
    assertEquals(
        "etcdserver: value is provided",
        failure(
                () ->
                    client
                        .kv()
                        .put(
                            PutRequest.newBuilder()
                                .setKey(bs("k"))
                                .setValue(bs("v"))
                                .setIgnoreValue(true)
                                .build()))
            .getDescription());
    Status reserved = failure(() -> client.kv().put(put("/mapsync/other", "v")));
    assertEquals(Status.Code.INVALID_ARGUMENT, reserved.getCode());
    assertTrue(
        reserved.getDescription().startsWith("mapsync: key /mapsync/other is reserved"),
        reserved.getDescription());
  }

  @Test
  void leaseListAnswersEtcdsLeaseLeasesCall() throws Exception {
    var lease = LeaseGrpc.newBlockingStub(client.channel);
    long a = lease.leaseGrant(LeaseGrantRequest.newBuilder().setTTL(60).build()).getID();
    long b = lease.leaseGrant(LeaseGrantRequest.newBuilder().setTTL(60).setID(77).build()).getID();
    assertEquals(77, b);
    ByteString answer =
        ClientCalls.blockingUnaryCall(
            client.channel, LeaseListMethod.METHOD, CallOptions.DEFAULT, ByteString.EMPTY);
    List<Long> ids = new ArrayList<>();
    CodedInputStream in = answer.newCodedInput();
    for (int tag = in.readTag(); tag != 0; tag = in.readTag()) {
      if (tag >>> 3 == 2) {
        CodedInputStream status = in.readBytes().newCodedInput();
        status.readTag();
        ids.add(status.readInt64());
      } else {
        in.skipField(tag);
      }
    }
    assertEquals(List.of(77L, a).stream().sorted().toList(), ids.stream().sorted().toList());
  }

  @Test
  void aGrantWithAnIdIsIdempotentButNotWithAnotherTtl() {
    var lease = LeaseGrpc.newBlockingStub(client.channel);
    assertEquals(
        5, lease.leaseGrant(LeaseGrantRequest.newBuilder().setID(5).setTTL(30).build()).getID());
    assertEquals(
        5, lease.leaseGrant(LeaseGrantRequest.newBuilder().setID(5).setTTL(30).build()).getID());
    assertEquals(
        "etcdserver: lease already exists",
        failure(() -> lease.leaseGrant(LeaseGrantRequest.newBuilder().setID(5).setTTL(31).build()))
            .getDescription());
    assertEquals(
        2,
        lease.leaseGrant(LeaseGrantRequest.newBuilder().setTTL(1).build()).getTTL(),
        "raised to the minimum TTL");
  }
}
