package io.mapsync.raft.etcd;

import io.mapsync.lab.EtcdCluster;
import io.mapsync.lab.Prerequisites;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * The lab's real etcd cluster ({@link EtcdCluster}, tmpfs, fast elections) for one test class, with
 * a store configuration for it. Without an etcd binary the class is skipped (or fails under
 * MAPSYNC_REQUIRE_ALL=1).
 */
public final class EtcdClusterExtension implements BeforeAllCallback, AfterAllCallback {
  private final int size;
  private EtcdCluster cluster;

  public EtcdClusterExtension(int size) {
    this.size = size;
  }

  @Override
  public void beforeAll(ExtensionContext context) throws Exception {
    Prerequisites.executable(
        EtcdCluster.binary(), "install etcd-server or point MAPSYNC_ETCD at an etcd binary");
    cluster = EtcdCluster.start(EtcdCluster.Options.forTests(size));
  }

  @Override
  public void afterAll(ExtensionContext context) {
    if (cluster != null) {
      cluster.close();
    }
  }

  /** The running cluster: kill, stop, restart, pause members; find the leader; read the logs. */
  public EtcdCluster cluster() {
    return cluster;
  }

  public List<String> endpoints() {
    return cluster.endpoints();
  }

  /** A store configuration for this cluster with test-sized timeouts. */
  public EtcdConfig config() {
    return new EtcdConfig(
        endpoints(),
        "",
        Duration.ofSeconds(2),
        Duration.ofSeconds(20),
        EtcdConfig.DEFAULT_MAX_TXN_OPS,
        EtcdConfig.DEFAULT_READ_PAGE_SIZE,
        EtcdConfig.DEFAULT_LOAD_BALANCING);
  }
}
