package io.mapsync.raft.etcdapi;

import io.mapsync.store.cluster.ServedCluster;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;

/** {@link FacadeCluster} over {@link InMemoryServedCluster}: members share one in-memory store. */
final class InMemoryFacadeCluster implements FacadeCluster {
  private final List<InMemoryServedCluster> members;
  private final List<EtcdApiServer> servers = new ArrayList<>();

  InMemoryFacadeCluster(int size, EtcdApiOptions options) {
    this.members = InMemoryServedCluster.group(size);
    try {
      for (InMemoryServedCluster member : members) {
        EtcdApiServer server =
            EtcdApiServer.start(member, new InetSocketAddress("127.0.0.1", 0), options);
        servers.add(server);
        member.setClientAddress("127.0.0.1:" + server.port());
      }
    } catch (RuntimeException e) {
      close();
      throw e;
    }
  }

  /** Options that keep tests short: progress notifications and lease checks come quickly. */
  static EtcdApiOptions fastOptions() {
    return EtcdApiOptions.defaults()
        .withClusterName("test")
        .withProgressNotifyInterval(java.time.Duration.ofMillis(300))
        .withLeaseCheckInterval(java.time.Duration.ofMillis(100));
  }

  List<InMemoryServedCluster> members() {
    return members;
  }

  @Override
  public List<InMemoryServedCluster> servedMembers() {
    return members;
  }

  @Override
  public List<String> endpoints() {
    return servers.stream().map(EtcdApiServer::endpoint).toList();
  }

  @Override
  public ServedCluster leader() {
    return members.stream().filter(InMemoryServedCluster::isLeader).findFirst().orElseThrow();
  }

  @Override
  public List<EtcdApiServer> servers() {
    return servers;
  }

  @Override
  public void close() {
    servers.forEach(EtcdApiServer::close);
    if (!members.isEmpty()) {
      members.get(0).closeStore();
    }
  }
}
