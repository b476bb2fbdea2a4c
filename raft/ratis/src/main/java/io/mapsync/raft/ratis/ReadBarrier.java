package io.mapsync.raft.ratis;

import io.mapsync.store.StoreException;
import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executor;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;
import org.apache.ratis.client.RaftClient;
import org.apache.ratis.protocol.ClientId;
import org.apache.ratis.protocol.Message;
import org.apache.ratis.protocol.RaftClientReply;
import org.apache.ratis.protocol.RaftClientRequest;
import org.apache.ratis.protocol.RaftGroupId;
import org.apache.ratis.protocol.RaftPeerId;
import org.apache.ratis.server.RaftServer;

/**
 * Makes a read of the local replica linearizable, so a large read (a whole map) is a copy in this
 * process instead of a reply shipped through Ratis.
 *
 * <p>Why it is linearizable: the barrier is Raft's read index. The leader takes its commit index C
 * when the barrier arrives and confirms with a heartbeat round to a majority that it is still the
 * leader, so every write acknowledged before the read started is at an index at most C. This member
 * then waits until it has applied at least C. A copy taken after that contains every such write,
 * and only committed entries (a replica applies nothing else), so it is a state of the log between
 * the read's start and its end: the read can be placed at that point.
 *
 * <p>How: on gRPC, Ratis does both halves inside the local member (a follower or listener asks the
 * leader for the read index over its server RPC) when given a read request with read option
 * LINEARIZABLE. Ratis's Netty transport cannot ask for a read index, so a Netty follower sends the
 * read to the leader through the client, gets the leader's applied index (at least C) back, and
 * waits for its own replica to reach it.
 *
 * <p>The barrier completes on a mapsync executor, never on the Ratis thread that answered: Ratis
 * answers a read index while holding its read-index lock, and a caller that chains a call back into
 * Ratis (a membership change) would run under it and deadlock the member (chaos bug 6).
 */
final class ReadBarrier {
  private static final long RETRY_MILLIS = 20;

  private final RaftServer server;
  private final RaftGroupId groupId;
  private final RaftPeerId self;
  private final RaftClients clients;
  private final boolean localReadIndex;
  private final BooleanSupplier isLeader;
  private final AppliedIndexWaiters applied;
  private final ScheduledExecutorService scheduler;
  private final Executor completions;
  private final Duration timeout;
  private final ClientId clientId = ClientId.randomId();
  private final AtomicLong callIds = new AtomicLong();

  /**
   * @param completions where the barrier completes: a mapsync executor
   */
  ReadBarrier(
      RaftServer server,
      RaftGroupId groupId,
      RaftPeerId self,
      RaftClients clients,
      Transport transport,
      BooleanSupplier isLeader,
      AppliedIndexWaiters applied,
      ScheduledExecutorService scheduler,
      Executor completions,
      Duration timeout) {
    this.server = server;
    this.groupId = groupId;
    this.self = self;
    this.clients = clients;
    this.localReadIndex = transport == Transport.GRPC;
    this.isLeader = isLeader;
    this.applied = applied;
    this.scheduler = scheduler;
    this.completions = completions;
    this.timeout = timeout;
  }

  /**
   * Completes, with the applied revision, once this member has applied everything committed before
   * the call.
   */
  CompletableFuture<Long> await() {
    return OwnThreads.completeOn(completions, attempt(System.nanoTime() + timeout.toNanos()));
  }

  private CompletableFuture<Long> attempt(long deadline) {
    CompletableFuture<Long> once =
        localReadIndex || isLeader.getAsBoolean() ? viaLocalMember() : viaLeader();
    return once.handle(
            (revision, failure) -> {
              if (failure == null) {
                return CompletableFuture.completedFuture(revision);
              }
              StoreException e = RatisFailures.toStore("linearizable read on " + self, failure);
              if (!e.retriable()
                  || System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(RETRY_MILLIS) > deadline) {
                return CompletableFuture.<Long>failedFuture(e);
              }
              // No leader yet, or a snapshot being installed: wait a little and ask again.
              CompletableFuture<Long> retry = new CompletableFuture<>();
              scheduler.schedule(
                  () -> {
                    attempt(deadline)
                        .whenComplete(
                            (r, t) -> {
                              if (t != null) {
                                retry.completeExceptionally(t);
                              } else {
                                retry.complete(r);
                              }
                            });
                  },
                  RETRY_MILLIS,
                  TimeUnit.MILLISECONDS);
              return retry;
            })
        .thenCompose(f -> f);
  }

  private CompletableFuture<Long> viaLocalMember() {
    RaftClientRequest request =
        RaftClientRequest.newBuilder()
            .setClientId(clientId)
            .setServerId(self)
            .setGroupId(groupId)
            .setCallId(callIds.incrementAndGet())
            .setMessage(Message.EMPTY)
            .setType(RaftClientRequest.readRequestType())
            .build();
    try {
      return server.submitClientRequestAsync(request).thenApply(ReadBarrier::revision);
    } catch (IOException e) {
      return CompletableFuture.failedFuture(e);
    }
  }

  private CompletableFuture<Long> viaLeader() {
    RaftClient client = clients.current();
    return client
        .async()
        .sendReadOnly(Message.EMPTY)
        .whenComplete(
            (reply, failure) -> {
              if (failure != null) {
                clients.renewIfBroken(client, failure);
              }
            })
        .thenApply(ReadBarrier::revision)
        .thenCompose(applied::await);
  }

  private static long revision(RaftClientReply reply) {
    if (!reply.isSuccess()) {
      throw new CompletionException(
          reply.getException() != null
              ? reply.getException()
              : new IOException("read barrier failed: " + reply));
    }
    return ReplicaStateMachine.revisionOf(reply.getMessage());
  }
}
