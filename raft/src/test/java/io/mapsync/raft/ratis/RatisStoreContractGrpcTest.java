package io.mapsync.raft.ratis;

/** The store contract over gRPC (the default transport, with the commit-pushing appender). */
class RatisStoreContractGrpcTest extends RatisStoreContractBase {
  @Override
  Transport transport() {
    return Transport.GRPC;
  }
}
