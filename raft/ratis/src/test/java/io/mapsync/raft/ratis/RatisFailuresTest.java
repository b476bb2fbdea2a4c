package io.mapsync.raft.ratis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mapsync.store.StoreException;
import io.mapsync.store.StoreException.Reason;
import java.io.IOException;
import java.net.ConnectException;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import org.apache.ratis.protocol.ClientId;
import org.apache.ratis.protocol.Message;
import org.apache.ratis.protocol.RaftClientRequest;
import org.apache.ratis.protocol.RaftGroupId;
import org.apache.ratis.protocol.RaftGroupMemberId;
import org.apache.ratis.protocol.RaftPeerId;
import org.apache.ratis.protocol.exceptions.AlreadyClosedException;
import org.apache.ratis.protocol.exceptions.GroupMismatchException;
import org.apache.ratis.protocol.exceptions.LeaderNotReadyException;
import org.apache.ratis.protocol.exceptions.NotLeaderException;
import org.apache.ratis.protocol.exceptions.RaftRetryFailureException;
import org.apache.ratis.protocol.exceptions.ReadIndexException;
import org.apache.ratis.protocol.exceptions.ReconfigurationInProgressException;
import org.apache.ratis.protocol.exceptions.ResourceUnavailableException;
import org.apache.ratis.protocol.exceptions.StateMachineException;
import org.apache.ratis.protocol.exceptions.TimeoutIOException;
import org.apache.ratis.retry.RetryPolicies;
import org.junit.jupiter.api.Test;

/** Each Ratis failure maps to the reason a caller can act on, with a message that says why. */
class RatisFailuresTest {
  private static final RaftGroupMemberId MEMBER =
      RaftGroupMemberId.valueOf(RaftPeerId.valueOf("n1"), RaftGroupId.randomId());

  private static StoreException map(Throwable t) {
    return RatisFailures.toStore("propose on n1", t);
  }

  @Test
  void eachFailureHasItsReason() {
    assertEquals(
        Reason.NO_LEADER, map(new NotLeaderException(MEMBER, null, java.util.List.of())).reason());
    assertEquals(Reason.NO_LEADER, map(new LeaderNotReadyException(MEMBER)).reason());
    assertEquals(Reason.NO_LEADER, map(new ReadIndexException("leader is unknown")).reason());
    assertEquals(Reason.TIMEOUT, map(new TimeoutIOException("no reply", null)).reason());
    // a client whose window closed after a request gave up is replaced: retry (chaos bug 5)
    assertEquals(Reason.UNAVAILABLE, map(new AlreadyClosedException("client is closed")).reason());
    assertEquals(
        Reason.REJECTED,
        map(new StateMachineException(
                MEMBER, new IllegalArgumentException("not a mapsync log entry")))
            .reason());
    assertEquals(Reason.UNAVAILABLE, map(new ResourceUnavailableException("too many")).reason());
    assertEquals(Reason.UNAVAILABLE, map(new ReconfigurationInProgressException("busy")).reason());
    assertEquals(Reason.UNAVAILABLE, map(new GroupMismatchException("no such group")).reason());
    assertEquals(
        Reason.UNAVAILABLE, map(new IOException(new ConnectException("refused"))).reason());
  }

  @Test
  void messagesSayWhatFailedAndWhy() {
    StoreException e = map(new CompletionException(new LeaderNotReadyException(MEMBER)));
    assertTrue(
        e.getMessage().startsWith("NO_LEADER: propose on n1: the new leader is not ready yet"),
        e.getMessage());
    StoreException rejected =
        map(new StateMachineException(MEMBER, new IllegalArgumentException("bad entry")));
    assertTrue(
        rejected.getMessage().contains("the store refused the entry: bad entry"),
        rejected.getMessage());
    StoreException joining = map(new GroupMismatchException("group-1 not found"));
    assertTrue(joining.getMessage().contains("must be added first"), joining.getMessage());
  }

  @Test
  void exhaustedRetriesReportTheLastCauseAndTheAttempts() {
    RaftClientRequest request =
        RaftClientRequest.newBuilder()
            .setClientId(ClientId.randomId())
            .setServerId(RaftPeerId.valueOf("n1"))
            .setGroupId(RaftGroupId.randomId())
            .setCallId(1)
            .setMessage(Message.EMPTY)
            .setType(RaftClientRequest.writeRequestType())
            .build();
    StoreException e =
        map(
            new ExecutionException(
                new RaftRetryFailureException(
                    request,
                    7,
                    RetryPolicies.noRetry(),
                    new NotLeaderException(MEMBER, null, java.util.List.of()))));
    assertEquals(Reason.NO_LEADER, e.reason());
    assertTrue(e.retriable());
    assertTrue(e.getMessage().endsWith("(gave up after 7 attempts)"), e.getMessage());
  }

  @Test
  void aStoreExceptionPassesThrough() {
    StoreException original = new StoreException(Reason.COMPACTED, "old");
    assertSame(original, map(new CompletionException(original)));
  }
}
