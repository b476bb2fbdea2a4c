package io.mapsync.store.memory;

import io.mapsync.store.StateStore;
import io.mapsync.store.contract.StateStoreContract;

/** The in-memory backend keeps the store contract. */
class InMemoryStoreTest extends StateStoreContract {
  @Override
  protected StateStore openStore() {
    return new InMemoryStore();
  }
}
