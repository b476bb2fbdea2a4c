package io.mapsync.raft.etcd;

import io.mapsync.store.StateStore;
import io.mapsync.store.contract.StateStoreContract;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The external etcd backend keeps the store contract against a real 3-member etcd cluster. Each
 * test gets a fresh, empty store by using its own cluster prefix, which also runs every contract
 * check through the prefix handling.
 */
class EtcdStoreContractTest extends StateStoreContract {
  @RegisterExtension static final EtcdClusterExtension ETCD = new EtcdClusterExtension(3);

  private static final AtomicInteger TESTS = new AtomicInteger();

  @Override
  protected StateStore openStore() {
    return EtcdStore.open(ETCD.config().withPrefix("/contract/" + TESTS.incrementAndGet()));
  }
}
