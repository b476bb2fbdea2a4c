package io.mapsync.agent.node;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.google.protobuf.ByteString;
import io.mapsync.store.ClusterStatus;
import io.mapsync.store.Commit;
import io.mapsync.store.MapsSnapshot;
import io.mapsync.store.StateStore;
import io.mapsync.store.Watch;
import io.mapsync.store.WatchListener;
import io.mapsync.store.WatchRequest;
import io.mapsync.store.cluster.ClusterMember;
import io.mapsync.store.cluster.ServedCluster;
import io.mapsync.store.state.ReplicaState;
import io.mapsync.wire.ApplyResult;
import io.mapsync.wire.DeltaBatch;
import io.mapsync.wire.KeyValue;
import io.mapsync.wire.KvRange;
import io.mapsync.wire.KvTxn;
import io.mapsync.wire.LogEntry;
import io.mapsync.wire.MapSpec;
import io.mapsync.wire.RangeResult;
import io.mapsync.wire.TxnResult;
import java.io.UncheckedIOException;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * The default group's member as the etcd v3 API serves it, plus one read-only key: a linearizable
 * get of {@link GroupStatus#KEY} answers with every Raft group's status as this member sees it
 * (JSON), which is how {@code mapsync status} shows each group. The key space has no room for a
 * group's status otherwise: the etcd API serves the default group only.
 */
final class GroupStatusCluster implements ServedCluster {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final ByteString KEY = ByteString.copyFromUtf8(GroupStatus.KEY);

  private final ServedCluster inner;
  private final StateStore store;

  GroupStatusCluster(ServedCluster inner, Supplier<CompletableFuture<List<GroupStatus>>> statuses) {
    this.inner = inner;
    this.store = new Store(inner.store(), statuses);
  }

  @Override
  public StateStore store() {
    return store;
  }

  @Override
  public ReplicaState localState() {
    return inner.localState();
  }

  @Override
  public CompletableFuture<ApplyResult> append(LogEntry entry) {
    return inner.append(entry);
  }

  @Override
  public ClusterMember self() {
    return inner.self();
  }

  @Override
  public CompletableFuture<List<ClusterMember>> members() {
    return inner.members();
  }

  @Override
  public CompletableFuture<List<ClusterMember>> addMember(ClusterMember member) {
    return inner.addMember(member);
  }

  @Override
  public CompletableFuture<List<ClusterMember>> removeMember(String id) {
    return inner.removeMember(id);
  }

  @Override
  public CompletableFuture<ClusterStatus> status() {
    return inner.status();
  }

  @Override
  public boolean isLeader() {
    return inner.isLeader();
  }

  @Override
  public void onLeadershipChange(Consumer<Boolean> listener) {
    inner.onLeadershipChange(listener);
  }

  /** The default group's store, with the status key answered here. */
  private record Store(StateStore inner, Supplier<CompletableFuture<List<GroupStatus>>> statuses)
      implements StateStore {
    @Override
    public CompletableFuture<RangeResult> range(KvRange range) {
      if (!range.getKey().equals(KEY) || !range.getRangeEnd().isEmpty()) {
        return inner.range(range);
      }
      return statuses
          .get()
          .thenApply(
              all -> {
                try {
                  ByteString value = ByteString.copyFrom(JSON.writeValueAsBytes(all));
                  return RangeResult.newBuilder()
                      .addKvs(KeyValue.newBuilder().setKey(KEY).setValue(value))
                      .setCount(1)
                      .build();
                } catch (JsonProcessingException e) {
                  throw new UncheckedIOException(e);
                }
              });
    }

    @Override
    public CompletableFuture<Commit> propose(DeltaBatch batch) {
      return inner.propose(batch);
    }

    @Override
    public CompletableFuture<Commit> registerMap(MapSpec spec) {
      return inner.registerMap(spec);
    }

    @Override
    public CompletableFuture<TxnResult> txn(KvTxn txn) {
      return inner.txn(txn);
    }

    @Override
    public CompletableFuture<MapsSnapshot> readMaps(Collection<String> maps) {
      return inner.readMaps(maps);
    }

    @Override
    public CompletableFuture<Void> compact(long revision) {
      return inner.compact(revision);
    }

    @Override
    public Watch watch(WatchRequest request, WatchListener listener) {
      return inner.watch(request, listener);
    }

    @Override
    public CompletableFuture<ClusterStatus> status() {
      return inner.status();
    }

    @Override
    public void close() {
      inner.close();
    }
  }
}
