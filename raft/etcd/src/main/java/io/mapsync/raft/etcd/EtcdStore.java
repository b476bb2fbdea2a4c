package io.mapsync.raft.etcd;

import com.google.protobuf.InvalidProtocolBufferException;
import io.etcd.jetcd.ByteSequence;
import io.etcd.jetcd.Client;
import io.etcd.jetcd.ClientBuilder;
import io.etcd.jetcd.KV;
import io.etcd.jetcd.op.Cmp;
import io.etcd.jetcd.op.CmpTarget;
import io.etcd.jetcd.op.Op;
import io.etcd.jetcd.options.GetOption;
import io.etcd.jetcd.options.PutOption;
import io.mapsync.store.ClusterStatus;
import io.mapsync.store.Commit;
import io.mapsync.store.MapsSnapshot;
import io.mapsync.store.StateStore;
import io.mapsync.store.StoreException;
import io.mapsync.store.Watch;
import io.mapsync.store.WatchListener;
import io.mapsync.store.WatchRequest;
import io.mapsync.store.state.KeyLayout;
import io.mapsync.store.state.MapValidation;
import io.mapsync.tls.GrpcTls;
import io.mapsync.tls.TlsIdentity;
import io.mapsync.wire.DeltaBatch;
import io.mapsync.wire.KvRange;
import io.mapsync.wire.KvTxn;
import io.mapsync.wire.MapSpec;
import io.mapsync.wire.RangeResult;
import io.mapsync.wire.TxnResult;
import io.netty.handler.ssl.SslContext;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Collection;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@link StateStore} kept in an external etcd cluster (or any etcd v3 API, such as mapsync's
 * own facade), through jetcd. Revisions are etcd revisions; a delta batch is one txn, applied at
 * most once thanks to its origin's marker; map entries are raw BPF value bytes under the same keys
 * as in the embedded store, behind an optional cluster prefix. docs/etcd-backend.md describes the
 * layout and the guarantees.
 */
public final class EtcdStore implements StateStore {
  private static final Logger LOG = LoggerFactory.getLogger(EtcdStore.class);

  private final EtcdConfig config;
  private final Client client;
  private final KV kv;
  private final ScheduledExecutorService scheduler;
  private final Retrier retrier;
  private final MapSpecs specs;
  private final DeltaBatchWriter writer;
  private final MapsReader mapsReader;
  private final StatusReader statusReader;
  private final Set<ResumingWatch> watches = ConcurrentHashMap.newKeySet();
  private volatile boolean closed;

  private EtcdStore(EtcdConfig config, SslContext tls) {
    this.config = config;
    ClientBuilder builder = Client.builder();
    if (tls != null) {
      builder.sslContext(tls);
    }
    this.client =
        builder
            .endpoints(config.endpoints().toArray(String[]::new))
            .namespace(
                config.prefix().isEmpty()
                    ? ByteSequence.EMPTY
                    : ByteSequence.from(config.prefix(), StandardCharsets.UTF_8))
            .loadBalancerPolicy(config.loadBalancing())
            .interceptor(new DeadlineInterceptor(config.attemptTimeout()))
            .connectTimeout(config.attemptTimeout())
            // The store retries by itself, with requests it knows are safe to repeat.
            .retryMaxAttempts(0)
            // Finds a silently dead member (host down, partition) well before the OS would. Only
            // while calls are open: etcd answers pings on idle connections with GOAWAY
            // (too_many_pings).
            .keepaliveTime(Duration.ofSeconds(10))
            .keepaliveTimeout(Duration.ofSeconds(5))
            .keepaliveWithoutCalls(false)
            .build();
    this.kv = client.getKVClient();
    ScheduledThreadPoolExecutor pool =
        new ScheduledThreadPoolExecutor(
            1,
            r -> {
              Thread t = new Thread(r, "etcd-store-retry");
              t.setDaemon(true);
              return t;
            });
    pool.setRemoveOnCancelPolicy(true);
    this.scheduler = pool;
    this.retrier = new Retrier(scheduler, config.operationTimeout(), () -> closed);
    this.specs = new MapSpecs(kv, retrier);
    this.writer = new DeltaBatchWriter(kv, retrier, specs, config.maxTxnOps());
    this.mapsReader = new MapsReader(kv, retrier, specs, config.readPageSize());
    this.statusReader = new StatusReader(client, retrier, config.attemptTimeout(), tls);
  }

  /**
   * Connects to the cluster the configuration names. Connecting is lazy: an unreachable cluster
   * shows up as failing operations (UNAVAILABLE after the operation timeout), not here.
   */
  public static EtcdStore open(EtcdConfig config) {
    return open(config, null);
  }

  /**
   * Connects with mutual TLS: this identity's certificate is presented, the members' are checked
   * against its CA. The endpoints must then be https:// (and without it, http://).
   */
  public static EtcdStore open(EtcdConfig config, TlsIdentity tls) {
    for (String e : config.endpoints()) {
      if (e.startsWith("https://") != (tls != null)) {
        throw new IllegalArgumentException(
            "etcd endpoint '"
                + e
                + "': "
                + (tls == null
                    ? "https needs tls: (ca, cert, key) in the config"
                    : "with tls: set, use https:// endpoints"));
      }
    }
    LOG.info(
        "etcd store: endpoints={} prefix='{}' attempt-timeout={} operation-timeout={} max-txn-ops={} lb={}",
        config.endpoints(),
        config.prefix(),
        config.attemptTimeout(),
        config.operationTimeout(),
        config.maxTxnOps(),
        config.loadBalancing());
    return new EtcdStore(config, tls == null ? null : GrpcTls.client(tls));
  }

  public EtcdConfig config() {
    return config;
  }

  /**
   * The most keys one batch may write (one txn); the agent should batch at most this many deltas.
   */
  public int maxKeysPerBatch() {
    return config.maxKeysPerBatch();
  }

  @Override
  public CompletableFuture<Commit> propose(DeltaBatch batch) {
    return ifOpen(() -> writer.propose(batch));
  }

  /**
   * Creates {@code /mapsync/specs/<map>} if it is absent, in one txn that otherwise returns the
   * spec already there: identical is fine, different is REJECTED. Safe to retry.
   */
  @Override
  public CompletableFuture<Commit> registerMap(MapSpec spec) {
    String problem = MapValidation.checkSpec(spec);
    if (problem != null) {
      return CompletableFuture.failedFuture(
          new StoreException(StoreException.Reason.REJECTED, problem));
    }
    ByteSequence key = KvMapping.seq(KeyLayout.specKey(spec.getName()));
    return ifOpen(
        () ->
            retrier
                .call(
                    "register map '" + spec.getName() + "'",
                    () ->
                        kv.txn()
                            .If(new Cmp(key, Cmp.Op.EQUAL, CmpTarget.createRevision(0)))
                            .Then(
                                Op.put(key, KvMapping.seq(spec.toByteString()), PutOption.DEFAULT))
                            .Else(Op.get(key, GetOption.DEFAULT))
                            .commit())
                .thenCompose(
                    response -> {
                      long revision = response.getHeader().getRevision();
                      if (!response.isSucceeded()) {
                        MapSpec existing =
                            parseSpec(response.getGetResponses().get(0).getKvs().get(0));
                        if (!existing.equals(spec)) {
                          return CompletableFuture.failedFuture(
                              new StoreException(
                                  StoreException.Reason.REJECTED,
                                  "map '"
                                      + spec.getName()
                                      + "' is already registered with a different spec: "
                                      + MapValidation.describe(existing)
                                      + " (asked: "
                                      + MapValidation.describe(spec)
                                      + ")"));
                        }
                      }
                      specs.remember(spec);
                      return CompletableFuture.completedFuture(Commit.of(revision));
                    }));
  }

  private static MapSpec parseSpec(io.etcd.jetcd.KeyValue kv) {
    try {
      return MapSpec.parseFrom(kv.getValue().getBytes());
    } catch (InvalidProtocolBufferException e) {
      throw new StoreException(
          StoreException.Reason.REJECTED,
          "key "
              + kv.getKey()
              + " does not hold a MapSpec; remove it or register under another name");
    }
  }

  /**
   * Sends a txn as it is, once: an arbitrary txn has no marker, so a retry after an ambiguous
   * failure could apply it twice. Writes under /mapsync/ are checked first (see {@link
   * TxnWriteRules}).
   */
  @Override
  public CompletableFuture<TxnResult> txn(KvTxn txn) {
    return ifOpen(
        () ->
            specs
                .resolve(TxnWriteRules.mapsTouched(txn))
                .thenCompose(
                    known -> {
                      TxnWriteRules.check(txn, known);
                      return kv.txn()
                          .If(
                              txn.getCompareList().stream()
                                  .map(KvMapping::toCmp)
                                  .toArray(Cmp[]::new))
                          .Then(KvMapping.ops(txn.getSuccessList()))
                          .Else(KvMapping.ops(txn.getFailureList()))
                          .commit()
                          .exceptionallyCompose(
                              e ->
                                  CompletableFuture.failedFuture(
                                      EtcdClientErrors.toStoreException(e, "txn")))
                          .thenApply(response -> KvMapping.toWire(txn, response));
                    }));
  }

  @Override
  public CompletableFuture<RangeResult> range(KvRange range) {
    GetOption option = KvMapping.getOption(range);
    return ifOpen(
        () ->
            retrier
                .call("range", () -> kv.get(KvMapping.seq(range.getKey()), option))
                .thenApply(KvMapping::toWire));
  }

  @Override
  public CompletableFuture<MapsSnapshot> readMaps(Collection<String> maps) {
    return ifOpen(() -> mapsReader.read(maps));
  }

  /**
   * Compacts etcd's history up to the revision. Compaction is cluster-wide: with a cluster prefix
   * it also drops the history of every other user of the same etcd.
   */
  @Override
  public CompletableFuture<Void> compact(long revision) {
    return ifOpen(
        () ->
            retrier
                .call("compact to " + revision, () -> kv.compact(revision))
                .<Void>thenApply(r -> null)
                .exceptionallyCompose(
                    e -> {
                      StoreException se =
                          EtcdClientErrors.toStoreException(e, "compact to " + revision);
                      // Compacting to a revision at or below the current compaction is already
                      // done.
                      return se.reason() == StoreException.Reason.COMPACTED
                          ? CompletableFuture.completedFuture(null)
                          : CompletableFuture.failedFuture(se);
                    }));
  }

  /**
   * Starts a watch. One "from the next commit" (fromRevision 0) first reads the current revision R
   * (a linearizable read, so this call blocks for a round trip) and starts at R + 1: every commit
   * acknowledged after this returns is then delivered, which an asynchronous start could miss.
   */
  @Override
  public Watch watch(WatchRequest request, WatchListener listener) {
    if (closed) {
      throw new StoreException(StoreException.Reason.CLOSED, "the etcd store is closed");
    }
    WatchRequest from = request;
    if (request.fromRevision() <= 0) {
      long current = currentRevision(request);
      from = new WatchRequest(request.key(), request.rangeEnd(), current + 1, request.prevKv());
    }
    ResumingWatch[] self = new ResumingWatch[1];
    self[0] = new ResumingWatch(client, from, listener, () -> watches.remove(self[0]));
    watches.add(self[0]);
    return self[0].start();
  }

  private long currentRevision(WatchRequest request) {
    GetOption probe = GetOption.builder().withCountOnly(true).build();
    try {
      return retrier
          .call("start watch", () -> kv.get(KvMapping.seq(request.key()), probe))
          .get()
          .getHeader()
          .getRevision();
    } catch (ExecutionException e) {
      throw EtcdClientErrors.toStoreException(e, "start watch");
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new StoreException(
          StoreException.Reason.UNAVAILABLE, "interrupted while starting a watch", e);
    }
  }

  @Override
  public CompletableFuture<ClusterStatus> status() {
    return ifOpen(statusReader::read);
  }

  @Override
  public void close() {
    if (closed) {
      return;
    }
    closed = true;
    StoreException reason =
        new StoreException(StoreException.Reason.CLOSED, "the etcd store is closed");
    watches.forEach(w -> w.fail(reason));
    statusReader.close();
    client.close();
    scheduler.shutdownNow();
  }

  private <T> CompletableFuture<T> ifOpen(Supplier<CompletableFuture<T>> operation) {
    if (closed) {
      return CompletableFuture.failedFuture(
          new StoreException(StoreException.Reason.CLOSED, "the etcd store is closed"));
    }
    try {
      return operation.get();
    } catch (StoreException e) {
      return CompletableFuture.failedFuture(e);
    }
  }
}
