package io.mapsync.chaos.traffic;

import com.google.protobuf.ByteString;
import io.etcd.jetcd.ByteSequence;
import io.etcd.jetcd.Client;
import io.mapsync.chaos.cluster.ClusterSettings;
import io.mapsync.chaos.history.History;
import io.mapsync.chaos.history.Key;
import io.mapsync.chaos.history.Op;
import io.mapsync.chaos.history.Value;
import io.mapsync.store.state.KeyLayout;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * A client of one member's etcd v3 API (jetcd, as an operator's tool or controller would be),
 * putting and deleting map entries one at a time on keys only it writes, and recording for each
 * whether the store acknowledged it. No answer within the timeout, or an error, is recorded as
 * unknown: the request may still be applied later (the member retries it for a while).
 */
public final class ClientWriter implements Traffic {
  /**
   * Longer than the members' own request retry (30 s) would be ideal; this keeps a stalled client
   * moving.
   */
  static final long TIMEOUT_MS = 10_000;

  private final String member;
  private final int clientIndex;
  private final Client client;
  private final History history;
  private final Random random;
  private final TrafficRates rates;
  private final PacedLoop loop;

  public ClientWriter(
      String member,
      int clientIndex,
      Client client,
      History history,
      long seed,
      TrafficRates rates) {
    this.member = member;
    this.clientIndex = clientIndex;
    this.client = client;
    this.history = history;
    this.random = new Random(seed);
    this.rates = rates;
    this.loop =
        new PacedLoop(
            "chaos-client-" + clientIndex + "@" + member, rates.clientOpsPerSecond(), this::step);
  }

  /** The keys client {@code index} owns. */
  public static Key key(int clientIndex, int n) {
    return new Key(Key.Space.CLIENT, clientIndex * 1000L + n);
  }

  @Override
  public void start() {
    loop.start();
  }

  private void step() {
    String source = "client@" + member;
    Key key = key(clientIndex, random.nextInt(rates.clientKeysEach()));
    boolean delete = random.nextInt(10) == 0;
    long id = history.nextId();
    Value value = delete ? null : Value.forOp(id);
    ByteSequence etcdKey =
        bytes(KeyLayout.entryKey(ClusterSettings.MAP, ByteString.copyFrom(key.bytes())));
    long t0 = history.now();
    CompletableFuture<Long> call =
        delete
            ? client.getKVClient().delete(etcdKey).thenApply(r -> r.getHeader().getRevision())
            : client
                .getKVClient()
                .put(etcdKey, ByteSequence.from(value.raw()))
                .thenApply(r -> r.getHeader().getRevision());
    Op.Outcome outcome;
    long revision = 0;
    String error = "";
    try {
      revision = call.get(TIMEOUT_MS, TimeUnit.MILLISECONDS);
      outcome = Op.Outcome.OK;
    } catch (TimeoutException e) {
      call.cancel(true);
      outcome = Op.Outcome.UNKNOWN;
      error = "no answer in " + TIMEOUT_MS + " ms";
    } catch (ExecutionException e) {
      outcome = Op.Outcome.UNKNOWN;
      error = firstLine(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      outcome = Op.Outcome.UNKNOWN;
      error = "interrupted";
    }
    history.record(
        new Op(
            id,
            source,
            delete ? Op.Kind.DELETE : Op.Kind.PUT,
            key,
            value,
            t0,
            history.now(),
            outcome,
            revision,
            error));
  }

  /** The first line of what the server or the client library said. */
  static String firstLine(ExecutionException e) {
    return String.valueOf(e.getCause().getMessage()).lines().findFirst().orElse("");
  }

  static ByteSequence bytes(ByteString b) {
    return ByteSequence.from(b.toByteArray());
  }

  @Override
  public void close() {
    loop.stop(TIMEOUT_MS + 5_000);
    client.close();
  }
}
