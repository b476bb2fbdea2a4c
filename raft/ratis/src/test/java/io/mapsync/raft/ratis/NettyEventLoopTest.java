package io.mapsync.raft.ratis;

import static io.mapsync.raft.ratis.Replicas.WAIT;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.apache.ratis.client.RaftClient;
import org.apache.ratis.conf.Parameters;
import org.apache.ratis.conf.RaftProperties;
import org.apache.ratis.netty.NettyFactory;
import org.apache.ratis.protocol.ClientId;
import org.apache.ratis.protocol.Message;
import org.apache.ratis.protocol.RaftGroup;
import org.apache.ratis.protocol.RaftPeer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The precondition of Ratis 3.3.0's Netty client deadlock, and mapsync's workaround: Ratis's own
 * Netty client runs the Ratis client's reply handling (retries, proxy resets, new connections) on
 * the Netty event loop; mapsync's clients on Netty never do (docs/ratis.md, "Netty transport").
 */
class NettyEventLoopTest extends LocalClusterTest {
  private static final int REQUESTS = 20;
  private final ExecutorService completions = Executors.newCachedThreadPool();

  @AfterEach
  void stopCompletions() {
    completions.shutdownNow();
  }

  @Test
  void ratisNettyClientHandlesRepliesOnTheEventLoop() throws Exception {
    startCluster();
    ClientId id = ClientId.randomId();
    RaftProperties props = new RaftProperties();
    RaftClient.Builder raw =
        RaftClient.newBuilder()
            .setProperties(props)
            .setClientId(id)
            .setClientRpc(new NettyFactory(new Parameters()).newRaftClientRpc(id, props));
    // Most, not all: a reply that asks for a retry is handled again on Ratis's timer thread.
    int onLoop = onEventLoop(raw);
    assertTrue(
        onLoop >= REQUESTS / 2,
        onLoop + " of " + REQUESTS + " replies handled on a Netty event loop");
  }

  @Test
  void mapsyncClientsOnNettyHandleRepliesOffTheEventLoop() throws Exception {
    startCluster();
    RaftClient.Builder ours =
        RatisNode.clientBuilder(
            Transport.NETTY, new Parameters(), new RaftProperties(), completions);
    assertEquals(0, onEventLoop(ours), "replies handled on a Netty event loop, of " + REQUESTS);
  }

  private void startCluster() throws Exception {
    cluster = LocalCluster.start(dir, 3, 0, Transport.NETTY, Map.of());
    for (RatisNode n : cluster.running().values()) {
      n.awaitLeader(WAIT);
    }
  }

  /** Sends read-only requests to the leader; counts the replies handled on a Netty event loop. */
  private int onEventLoop(RaftClient.Builder builder) throws Exception {
    List<RaftPeer> peers = new ArrayList<>();
    cluster
        .config("n1")
        .peers()
        .forEach((id, address) -> peers.add(RatisNode.toPeer(id, address, false)));
    String clusterName = cluster.config("n1").clusterName();
    try (RaftClient client =
        builder.setRaftGroup(RaftGroup.valueOf(RatisNode.groupIdOf(clusterName), peers)).build()) {
      int count = 0;
      for (int i = 0; i < REQUESTS; i++) {
        // The stage runs on the thread that completed the Ratis client's future: the one that ran
        // the client's reply handling.
        CompletableFuture<Boolean> where =
            client.async().sendReadOnly(Message.EMPTY).thenApply(reply -> onNettyEventLoop());
        count += where.get(WAIT.toSeconds(), TimeUnit.SECONDS) ? 1 : 0;
      }
      return count;
    }
  }

  private static boolean onNettyEventLoop() {
    for (StackTraceElement frame : Thread.currentThread().getStackTrace()) {
      String type = frame.getClassName();
      if (type.contains(".netty.channel.") && type.endsWith("EventLoop")) {
        return true;
      }
    }
    return false;
  }
}
