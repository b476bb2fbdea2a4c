package io.mapsync.raft.etcdapi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.etcd.jetcd.api.AlarmRequest;
import io.etcd.jetcd.api.CampaignRequest;
import io.etcd.jetcd.api.ClusterGrpc;
import io.etcd.jetcd.api.DefragmentRequest;
import io.etcd.jetcd.api.ElectionGrpc;
import io.etcd.jetcd.api.HashKVRequest;
import io.etcd.jetcd.api.HashRequest;
import io.etcd.jetcd.api.MaintenanceGrpc;
import io.etcd.jetcd.api.MemberPromoteRequest;
import io.etcd.jetcd.api.MemberUpdateRequest;
import io.etcd.jetcd.api.MoveLeaderRequest;
import io.etcd.jetcd.api.SnapshotRequest;
import io.etcd.jetcd.api.WatchGrpc;
import io.etcd.jetcd.api.WatchProgressRequest;
import io.etcd.jetcd.api.lock.LockGrpc;
import io.etcd.jetcd.api.lock.LockRequest;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

/** Every etcd call mapsync does not serve answers UNIMPLEMENTED at once, saying what and why. */
class UnsupportedCallsTest {
  @Test
  void unsupportedCallsAnswerUnimplementedQuicklyWithAReason() {
    try (InMemoryFacadeCluster cluster =
            new InMemoryFacadeCluster(1, InMemoryFacadeCluster.fastOptions());
        RawClient client = new RawClient(cluster.leaderEndpoint())) {
      var ch = client.channel;
      Map<String, Executable> calls = new LinkedHashMap<>();
      calls.put(
          "Lock",
          () -> deadline(LockGrpc.newBlockingStub(ch)).lock(LockRequest.getDefaultInstance()));
      calls.put(
          "Election",
          () ->
              deadline(ElectionGrpc.newBlockingStub(ch))
                  .campaign(CampaignRequest.getDefaultInstance()));
      var maintenance = MaintenanceGrpc.newBlockingStub(ch);
      calls.put(
          "Defragment",
          () -> deadline(maintenance).defragment(DefragmentRequest.getDefaultInstance()));
      calls.put("Hash", () -> deadline(maintenance).hash(HashRequest.getDefaultInstance()));
      calls.put("HashKV", () -> deadline(maintenance).hashKV(HashKVRequest.getDefaultInstance()));
      calls.put(
          "MoveLeader",
          () -> deadline(maintenance).moveLeader(MoveLeaderRequest.getDefaultInstance()));
      calls.put(
          "Snapshot",
          () -> deadline(maintenance).snapshot(SnapshotRequest.getDefaultInstance()).hasNext());
      calls.put(
          "Alarm activate",
          () ->
              deadline(maintenance)
                  .alarm(
                      AlarmRequest.newBuilder()
                          .setAction(AlarmRequest.AlarmAction.ACTIVATE)
                          .build()));
      calls.put(
          "MemberUpdate",
          () ->
              deadline(ClusterGrpc.newBlockingStub(ch))
                  .memberUpdate(MemberUpdateRequest.getDefaultInstance()));
      calls.put(
          "MemberPromote",
          () ->
              deadline(ClusterGrpc.newBlockingStub(ch))
                  .memberPromote(MemberPromoteRequest.getDefaultInstance()));
      calls.put(
          "Watch.Progress",
          () ->
              deadline(WatchGrpc.newBlockingStub(ch))
                  .progress(WatchProgressRequest.getDefaultInstance()));

      long start = System.nanoTime();
      calls.forEach(
          (name, call) -> {
            Status status =
                Status.fromThrowable(assertThrows(StatusRuntimeException.class, call, name));
            assertEquals(Status.Code.UNIMPLEMENTED, status.getCode(), name + ": " + status);
            assertTrue(
                status.getDescription().startsWith("mapsync: ")
                    && status.getDescription().contains("is not supported: "),
                name + ": " + status.getDescription());
          });
      assertTrue(
          System.nanoTime() - start < Duration.ofSeconds(5).toNanos(),
          "unsupported calls must not wait");

      // Listing alarms is served: mapsync raises none.
      assertEquals(0, maintenance.alarm(AlarmRequest.getDefaultInstance()).getAlarmsCount());
    }
  }

  private static <S extends io.grpc.stub.AbstractStub<S>> S deadline(S stub) {
    return stub.withDeadlineAfter(3, TimeUnit.SECONDS);
  }
}
