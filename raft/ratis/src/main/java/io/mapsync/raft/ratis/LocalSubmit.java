package io.mapsync.raft.ratis;

import java.io.IOException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;
import java.util.function.Function;
import org.apache.ratis.protocol.ClientId;
import org.apache.ratis.protocol.Message;
import org.apache.ratis.protocol.RaftClientReply;
import org.apache.ratis.protocol.RaftClientRequest;
import org.apache.ratis.protocol.RaftGroupId;
import org.apache.ratis.protocol.RaftPeerId;
import org.apache.ratis.protocol.exceptions.LeaderNotReadyException;
import org.apache.ratis.protocol.exceptions.NotLeaderException;
import org.apache.ratis.server.RaftServer;

/**
 * Hands a write to the local server when this member leads, instead of through the Raft client.
 *
 * <p>The client reaches its leader over the transport even when the leader is this very process:
 * the entry is serialized, sent over loopback, parsed, and the reply comes back the same way,
 * through the client's and the server's RPC threads (the hops docs/benchmarks.md measured as the
 * largest share of the leader's CPU per change). The server's own client protocol takes the same
 * request in process; the reply still means applied on the leader after a majority committed it. A
 * member that is not (or no longer) the leader refuses before appending ({@link
 * NotLeaderException}, {@link LeaderNotReadyException}), and only then does the write go through
 * the client. A leader that steps down fails its pending requests the same way, though their
 * entries may still commit; the client then sends the entry again under another request id, so
 * {@link RatisNode} uses this only for entries the state applies once however often they land.
 */
final class LocalSubmit {
  private final RaftServer server;
  private final RaftGroupId group;
  private final RaftPeerId self;
  private final BooleanSupplier leads;
  private final ClientId clientId = ClientId.randomId();
  private final AtomicLong callIds = new AtomicLong();
  private final AtomicLong committedHere = new AtomicLong();

  LocalSubmit(RaftServer server, RaftGroupId group, RaftPeerId self, BooleanSupplier leads) {
    this.server = server;
    this.group = group;
    this.self = self;
    this.leads = leads;
  }

  /**
   * The reply of the local leader, or of {@code viaClient} when this member does not lead or
   * refused as a non-leader.
   */
  CompletableFuture<RaftClientReply> send(
      Message message, Function<Message, CompletableFuture<RaftClientReply>> viaClient) {
    if (!leads.getAsBoolean()) {
      return viaClient.apply(message);
    }
    RaftClientRequest request =
        RaftClientRequest.newBuilder()
            .setClientId(clientId)
            .setServerId(self)
            .setGroupId(group)
            .setCallId(callIds.incrementAndGet())
            .setMessage(message)
            .setType(RaftClientRequest.writeRequestType())
            .build();
    CompletableFuture<RaftClientReply> local;
    try {
      local = server.submitClientRequestAsync(request);
    } catch (IOException e) {
      return viaClient.apply(message);
    }
    return local.thenCompose(
        reply -> {
          if (notLeader(reply)) {
            return viaClient.apply(message);
          }
          committedHere.incrementAndGet();
          return CompletableFuture.completedFuture(reply);
        });
  }

  /** Writes the local leader answered (for tests). */
  long answeredHere() {
    return committedHere.get();
  }

  private static boolean notLeader(RaftClientReply reply) {
    return reply.getNotLeaderException() != null || reply.getLeaderNotReadyException() != null;
  }
}
