package io.mapsync.raft.ratis;

import java.io.IOException;
import java.util.Collection;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import org.apache.ratis.client.RaftClientRpc;
import org.apache.ratis.protocol.RaftClientReply;
import org.apache.ratis.protocol.RaftClientRequest;
import org.apache.ratis.protocol.RaftPeer;
import org.apache.ratis.protocol.RaftPeerId;

/**
 * A Raft client transport whose replies and failures reach the Ratis client off the Netty event
 * loop: the workaround for Ratis 3.3.0's Netty client deadlock (docs/ratis.md, "Netty transport").
 *
 * <p>Ratis's Netty client completes a request's future on the event loop that read the reply or saw
 * the connection fail, and the Ratis client's retry code chained on it runs there too: it resets
 * the peer's proxy and sends the next attempt, which may open a new connection and wait ({@code
 * connect().sync()}) for an event loop while holding the peer's entry in {@code PeerProxyMap}. An
 * event loop that waits for that entry, while the loop the connect waits for is itself stuck behind
 * it, never returns. Handing every completion to a mapsync thread keeps the event loops to reading
 * and writing: they never wait for a lock, so every connect completes.
 */
final class EventLoopFreeClientRpc implements RaftClientRpc {
  private final RaftClientRpc netty;
  private final Executor completions;

  EventLoopFreeClientRpc(RaftClientRpc netty, Executor completions) {
    this.netty = netty;
    this.completions = completions;
  }

  @Override
  public CompletableFuture<RaftClientReply> sendRequestAsync(RaftClientRequest request) {
    return OwnThreads.completeOn(completions, netty.sendRequestAsync(request));
  }

  @Override
  public CompletableFuture<RaftClientReply> sendRequestAsyncUnordered(RaftClientRequest request) {
    return OwnThreads.completeOn(completions, netty.sendRequestAsyncUnordered(request));
  }

  @Override
  public RaftClientReply sendRequest(RaftClientRequest request) throws IOException {
    return netty.sendRequest(request);
  }

  @Override
  public void addRaftPeers(Collection<RaftPeer> peers) {
    netty.addRaftPeers(peers);
  }

  @Override
  public boolean handleException(RaftPeerId serverId, Throwable t, boolean reconnect) {
    return netty.handleException(serverId, t, reconnect);
  }

  @Override
  public boolean shouldReconnect(Throwable t) {
    return netty.shouldReconnect(t);
  }

  @Override
  public void close() throws IOException {
    netty.close();
  }
}
