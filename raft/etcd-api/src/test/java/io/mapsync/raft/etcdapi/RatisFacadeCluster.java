package io.mapsync.raft.etcdapi;

import io.mapsync.raft.ratis.LocalCluster;
import io.mapsync.raft.ratis.RatisConfig;
import io.mapsync.raft.ratis.RatisNode;
import io.mapsync.raft.ratis.Transport;
import io.mapsync.store.cluster.ServedCluster;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * {@link FacadeCluster} over embedded Ratis voters on loopback, each serving the etcd API. Client
 * ports are chosen before the members start, so every member knows every client address (followers
 * forward lease calls to the leader's).
 */
final class RatisFacadeCluster implements FacadeCluster {
  private final List<RatisNode> nodes = new ArrayList<>();
  private final List<EtcdApiServer> servers = new ArrayList<>();

  RatisFacadeCluster(Path dir, int voters) throws Exception {
    Map<String, String> peers = new LinkedHashMap<>();
    Map<String, Integer> clientPorts = new LinkedHashMap<>();
    for (int i = 1; i <= voters; i++) {
      peers.put("n" + i, "127.0.0.1:" + LocalCluster.freePort());
      clientPorts.put("n" + i, LocalCluster.freePort());
    }
    try {
      for (String id : peers.keySet()) {
        RatisConfig.Builder config =
            RatisConfig.builder(id)
                .peers(peers)
                .dataDir(dir.resolve(id))
                .transport(Transport.GRPC)
                .clusterName("test");
        clientPorts.forEach((member, port) -> config.clientAddress(member, "127.0.0.1:" + port));
        nodes.add(RatisNode.start(config.build()));
      }
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
      while (nodes.stream().noneMatch(RatisNode::isLeader)) {
        if (System.nanoTime() > deadline) {
          throw new IllegalStateException("no leader after 30 s");
        }
        Thread.sleep(20);
      }
      // Leader first, as FacadeCluster promises.
      nodes.sort(Comparator.comparing(n -> !n.isLeader()));
      for (RatisNode node : nodes) {
        servers.add(
            EtcdApiServer.start(
                node,
                new InetSocketAddress("127.0.0.1", clientPorts.get(node.self().id())),
                InMemoryFacadeCluster.fastOptions()));
      }
    } catch (Exception e) {
      close();
      throw e;
    }
  }

  @Override
  public List<RatisNode> servedMembers() {
    return nodes;
  }

  @Override
  public List<String> endpoints() {
    return servers.stream().map(EtcdApiServer::endpoint).toList();
  }

  @Override
  public ServedCluster leader() {
    return nodes.get(0);
  }

  @Override
  public List<EtcdApiServer> servers() {
    return servers;
  }

  @Override
  public void close() {
    servers.forEach(EtcdApiServer::close);
    nodes.forEach(RatisNode::close);
  }
}
