package io.mapsync.raft.ratis;

import com.google.protobuf.InvalidProtocolBufferException;
import io.mapsync.store.StoreException;
import io.mapsync.store.state.ReplicaState;
import io.mapsync.wire.ApplyResult;
import io.mapsync.wire.LogEntry;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;
import org.apache.ratis.proto.RaftProtos.LogEntryProto;
import org.apache.ratis.proto.RaftProtos.RaftPeerRole;
import org.apache.ratis.protocol.Message;
import org.apache.ratis.protocol.RaftClientRequest;
import org.apache.ratis.protocol.RaftGroupId;
import org.apache.ratis.protocol.RaftGroupMemberId;
import org.apache.ratis.protocol.RaftPeerId;
import org.apache.ratis.server.RaftServer;
import org.apache.ratis.server.protocol.TermIndex;
import org.apache.ratis.server.raftlog.RaftLog;
import org.apache.ratis.server.storage.RaftStorage;
import org.apache.ratis.statemachine.StateMachineStorage;
import org.apache.ratis.statemachine.TransactionContext;
import org.apache.ratis.statemachine.impl.BaseStateMachine;
import org.apache.ratis.thirdparty.com.google.protobuf.ByteString;
import org.apache.ratis.thirdparty.com.google.protobuf.UnsafeByteOperations;
import org.apache.ratis.util.LifeCycle;

/**
 * The Ratis state machine over a {@link ReplicaState}. Each log entry carries one serialized {@link
 * LogEntry} (Ratis shades its own protobuf, so ours travels as bytes); it is parsed once, when the
 * transaction starts, and applied at its log index, which is its revision. Entries that carry no
 * state (the leader's first entry of a term, configuration changes) only move the revision. The
 * reply to the proposer is the serialized {@link ApplyResult}.
 */
final class ReplicaStateMachine extends BaseStateMachine {
  private final ReplicaState state;
  private final ReplicaSnapshots snapshots = new ReplicaSnapshots();
  private final AppliedIndexWaiters applied;
  private final Consumer<RaftPeerId> leaderChanged;
  private volatile java.io.File storageDir = new java.io.File(".");

  ReplicaStateMachine(
      ReplicaState state, AppliedIndexWaiters applied, Consumer<RaftPeerId> leaderChanged) {
    this.state = state;
    this.applied = applied;
    this.leaderChanged = leaderChanged;
  }

  @Override
  public void initialize(RaftServer server, RaftGroupId groupId, RaftStorage storage)
      throws IOException {
    super.initialize(server, groupId, storage);
    storageDir = storage.getStorageDir().getRoot();
    getLifeCycle()
        .startAndTransition(
            () -> {
              snapshots.init(storage);
              loadLatestSnapshot();
            },
            IOException.class);
  }

  /** Called after a snapshot from the leader was installed: the replica is replaced by it. */
  @Override
  public void reinitialize() throws IOException {
    loadLatestSnapshot();
    if (getLifeCycleState() == LifeCycle.State.PAUSED) {
      getLifeCycle().transition(LifeCycle.State.STARTING);
      getLifeCycle().transition(LifeCycle.State.RUNNING);
    }
  }

  @Override
  public void pause() {
    getLifeCycle().transition(LifeCycle.State.PAUSING);
    getLifeCycle().transition(LifeCycle.State.PAUSED);
  }

  private void loadLatestSnapshot() throws IOException {
    TermIndex restored = snapshots.restoreLatest(state);
    if (restored != null) {
      setLastAppliedTermIndex(restored);
      applied.advance(restored.getIndex());
    }
  }

  @Override
  public StateMachineStorage getStateMachineStorage() {
    return snapshots.storage();
  }

  /** Runs on Ratis's apply thread, so no entry is applied while the state is written. */
  @Override
  public long takeSnapshot() throws IOException {
    TermIndex last = getLastAppliedTermIndex();
    if (last == null || last.getIndex() <= 0) {
      return RaftLog.INVALID_LOG_INDEX;
    }
    if (state.revision() != last.getIndex()) {
      throw new IOException(
          "replica is at revision " + state.revision() + " but Ratis applied " + last);
    }
    try {
      snapshots.write(state, last);
    } catch (IOException e) {
      if (StorageFailure.isNoSpace(e)) {
        storageFailed("writing a snapshot", e);
      }
      throw e;
    }
    return last.getIndex();
  }

  /**
   * Ratis could not write the log (disk full, I/O error). It closes the log but keeps the member
   * running, refusing every append; the replica is failed instead, so the agent stops with a
   * message naming the data dir rather than running on silently.
   */
  @Override
  public void notifyLogFailed(Throwable cause, LogEntryProto failedEntry) {
    storageFailed(
        "writing the Raft log"
            + (failedEntry == null ? "" : " (entry " + failedEntry.getIndex() + ")"),
        cause);
  }

  private void storageFailed(String what, Throwable cause) {
    StoreException failure = StorageFailure.of(storageDir, what, cause);
    applied.close(failure);
    state.fail(failure);
  }

  /**
   * On the leader: parse the proposal once; a proposal that is not a log entry never reaches the
   * log.
   */
  @Override
  public TransactionContext startTransaction(RaftClientRequest request) throws IOException {
    TransactionContext trx = super.startTransaction(request);
    try {
      LogEntry entry = parse(request.getMessage().getContent());
      if (entry.getOpCase() == LogEntry.OpCase.OP_NOT_SET) {
        trx.setException(new IllegalArgumentException("log entry without an operation"));
      } else {
        trx.setStateMachineContext(entry);
      }
    } catch (InvalidProtocolBufferException e) {
      trx.setException(new IllegalArgumentException("not a mapsync log entry: " + e.getMessage()));
    }
    return trx;
  }

  /**
   * On followers and listeners (and a new leader for its predecessor's entries): parse once here.
   */
  @Override
  public TransactionContext startTransaction(LogEntryProto entry, RaftPeerRole role) {
    TransactionContext trx = super.startTransaction(entry, role);
    try {
      trx.setStateMachineContext(parse(entry.getStateMachineLogEntry().getLogData()));
    } catch (InvalidProtocolBufferException e) {
      // Left unparsed: applyTransaction records the error at this revision, like every replica
      // does.
    }
    return trx;
  }

  @Override
  public CompletableFuture<Message> applyTransaction(TransactionContext trx) {
    LogEntryProto proto = trx.getLogEntry();
    long index = proto.getIndex();
    ApplyResult result;
    if (trx.getStateMachineContext() instanceof LogEntry entry) {
      result = state.apply(entry, index);
    } else {
      state.skipTo(index);
      result =
          ApplyResult.newBuilder()
              .setRevision(index)
              .setError("log entry " + index + " is not a mapsync entry")
              .build();
    }
    updateLastAppliedTermIndex(proto.getTerm(), index);
    applied.advance(index);
    return CompletableFuture.completedFuture(
        Message.valueOf(UnsafeByteOperations.unsafeWrap(result.toByteArray())));
  }

  @Override
  public void notifyTermIndexUpdated(long term, long index) {
    state.skipTo(index);
    super.notifyTermIndexUpdated(term, index);
    applied.advance(index);
  }

  /**
   * The read barrier's query: by the time Ratis calls it, this member has applied the read index.
   */
  @Override
  public CompletableFuture<Message> query(Message request) {
    return CompletableFuture.completedFuture(
        Message.valueOf(
            UnsafeByteOperations.unsafeWrap(
                ByteBuffer.allocate(Long.BYTES).putLong(0, state.revision()))));
  }

  static long revisionOf(Message reply) {
    ByteString content = reply.getContent();
    return content.size() == Long.BYTES ? content.asReadOnlyByteBuffer().getLong() : -1;
  }

  @Override
  public void notifyLeaderChanged(RaftGroupMemberId member, RaftPeerId newLeader) {
    leaderChanged.accept(newLeader);
  }

  private static LogEntry parse(ByteString bytes) throws InvalidProtocolBufferException {
    return LogEntry.parseFrom(bytes.asReadOnlyByteBuffer());
  }
}
