package io.mapsync.raft.ratis;

import java.util.concurrent.atomic.AtomicLong;
import org.apache.ratis.grpc.server.GrpcLogAppender;
import org.apache.ratis.proto.RaftProtos.AppendEntriesRequestProto;
import org.apache.ratis.server.RaftServer;
import org.apache.ratis.server.leader.FollowerInfo;
import org.apache.ratis.server.leader.LeaderState;
import org.apache.ratis.server.raftlog.RaftLogIOException;

/**
 * A gRPC log appender that tells its follower about a new commit index right away.
 *
 * <p>Why: a follower applies an entry only once it knows the entry is committed, and Ratis tells it
 * with the next append or heartbeat, which at low load comes up to a heartbeat interval later. The
 * agent on that follower's host sees remote deltas only when its member applies them, so that wait
 * is most of the follower-apply latency. When the leader's commit index moves past what this
 * follower was told and there is nothing else to send, this appender sends an empty append (a
 * heartbeat) carrying it. Under load there are always entries to send, and they carry the commit
 * index anyway, so this costs nothing there.
 */
final class CommitPushingLogAppender extends GrpcLogAppender {
  private final AtomicLong pushedCommit = new AtomicLong();

  CommitPushingLogAppender(
      RaftServer.Division server, LeaderState leaderState, FollowerInfo follower) {
    super(server, leaderState, follower);
  }

  @Override
  public boolean shouldSendAppendEntries() {
    return super.shouldSendAppendEntries() || commitToPush();
  }

  @Override
  public AppendEntriesRequestProto newAppendEntriesRequest(long callId, boolean heartbeat)
      throws RaftLogIOException {
    boolean push = !heartbeat && commitToPush();
    AppendEntriesRequestProto request = super.newAppendEntriesRequest(callId, heartbeat || push);
    if (request != null) {
      pushedCommit.accumulateAndGet(request.getLeaderCommit(), Math::max);
    }
    return request;
  }

  /**
   * True when the follower has every entry and no append in flight (so the heartbeat carries the
   * full commit index) but has not been told the latest commit index.
   */
  private boolean commitToPush() {
    long commit = getRaftLog().getLastCommittedIndex();
    return commit > pushedCommit.get()
        && commit > getFollower().getCommitIndex()
        && !hasAppendEntries()
        && !hasPendingDataRequests();
  }
}
