package io.mapsync.raft.ratis;

/** The store contract over Ratis's Netty transport (reads take the leader read-index path). */
class RatisStoreContractNettyTest extends RatisStoreContractBase {
  @Override
  Transport transport() {
    return Transport.NETTY;
  }
}
