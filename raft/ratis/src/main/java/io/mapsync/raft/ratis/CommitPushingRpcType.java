package io.mapsync.raft.ratis;

import org.apache.ratis.conf.Parameters;
import org.apache.ratis.grpc.GrpcFactory;
import org.apache.ratis.rpc.RpcFactory;
import org.apache.ratis.rpc.RpcType;
import org.apache.ratis.server.RaftServer;
import org.apache.ratis.server.leader.FollowerInfo;
import org.apache.ratis.server.leader.LeaderState;
import org.apache.ratis.server.leader.LogAppender;

/**
 * Ratis's gRPC transport with one change: the leader's log appenders are {@link
 * CommitPushingLogAppender}s. Ratis loads an RPC type by class name (its extension point for RPC
 * implementations), hence a public class with a no-argument constructor.
 */
public final class CommitPushingRpcType implements RpcType {
  @Override
  public String name() {
    return CommitPushingRpcType.class.getName();
  }

  @Override
  public RpcFactory newFactory(Parameters parameters) {
    return new Factory(parameters);
  }

  /** gRPC for everything except the appender. */
  private static final class Factory extends GrpcFactory {
    Factory(Parameters parameters) {
      super(parameters);
    }

    @Override
    public LogAppender newLogAppender(
        RaftServer.Division server, LeaderState state, FollowerInfo follower) {
      return new CommitPushingLogAppender(server, state, follower);
    }
  }
}
