package io.mapsync.raft.ratis;

import io.mapsync.store.StateStore;
import io.mapsync.store.contract.StateStoreContract;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.io.TempDir;

/**
 * The store contract against a real three-member cluster on loopback (gRPC, the default transport),
 * through a follower: writes are forwarded to the leader, reads pass the read barrier, watches come
 * from the follower's replica.
 */
class RatisStoreContractTest extends StateStoreContract {
  @TempDir Path dir;
  private LocalCluster cluster;

  @Override
  protected StateStore openStore() throws Exception {
    cluster = LocalCluster.start(dir, 3, 0, Transport.GRPC, Map.of());
    RatisNode leader = cluster.leader(Duration.ofSeconds(30));
    return cluster.others(leader).get(0).store();
  }

  @Override
  protected void closeStore() {
    cluster.close();
  }
}
