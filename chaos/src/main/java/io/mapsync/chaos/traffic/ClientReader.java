package io.mapsync.chaos.traffic;

import io.etcd.jetcd.ByteSequence;
import io.etcd.jetcd.Client;
import io.etcd.jetcd.KeyValue;
import io.etcd.jetcd.kv.GetResponse;
import io.etcd.jetcd.options.GetOption;
import io.mapsync.chaos.cluster.ClusterSettings;
import io.mapsync.chaos.history.History;
import io.mapsync.chaos.history.Key;
import io.mapsync.chaos.history.Read;
import io.mapsync.chaos.history.Value;
import io.mapsync.store.state.KeyLayout;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * A reader through one member's etcd API: gets of the client keys, every client's (so a key written
 * through one member is read through the others while the write is in flight), one at a time;
 * mostly linearizable, a quarter serializable. Each get is recorded with what it returned and the
 * revisions of the answer, or as failed.
 */
public final class ClientReader implements Traffic {
  private final String member;
  private final Client client;
  private final History history;
  private final Random random;
  private final TrafficRates rates;
  private final int clients;
  private final PacedLoop loop;

  /**
   * @param clients how many clients write (their keys are the ones read)
   */
  public ClientReader(
      String member, Client client, History history, long seed, TrafficRates rates, int clients) {
    this.member = member;
    this.client = client;
    this.history = history;
    this.random = new Random(seed);
    this.rates = rates;
    this.clients = clients;
    this.loop = new PacedLoop("chaos-reader@" + member, rates.readsPerSecond(), this::step);
  }

  @Override
  public void start() {
    loop.start();
  }

  private void step() {
    String source = "reader@" + member;
    Key key = ClientWriter.key(random.nextInt(clients), random.nextInt(rates.clientKeysEach()));
    boolean linearizable = random.nextInt(4) != 0;
    long id = history.nextId();
    ByteSequence etcdKey =
        ClientWriter.bytes(
            KeyLayout.entryKey(
                ClusterSettings.MAP, com.google.protobuf.ByteString.copyFrom(key.bytes())));
    long t0 = history.now();
    CompletableFuture<GetResponse> call =
        client
            .getKVClient()
            .get(etcdKey, GetOption.builder().withSerializable(!linearizable).build());
    Read read;
    try {
      GetResponse r = call.get(ClientWriter.TIMEOUT_MS, TimeUnit.MILLISECONDS);
      KeyValue kv = r.getKvs().isEmpty() ? null : r.getKvs().get(0);
      read =
          new Read(
              id,
              source,
              linearizable,
              key,
              kv == null ? null : new Value(kv.getValue().getBytes()),
              t0,
              history.now(),
              true,
              r.getHeader().getRevision(),
              kv == null ? 0 : kv.getModRevision(),
              "");
    } catch (TimeoutException e) {
      call.cancel(true);
      read =
          failed(
              id, source, linearizable, key, t0, "no answer in " + ClientWriter.TIMEOUT_MS + " ms");
    } catch (ExecutionException e) {
      read = failed(id, source, linearizable, key, t0, ClientWriter.firstLine(e));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      read = failed(id, source, linearizable, key, t0, "interrupted");
    }
    history.record(read);
  }

  private Read failed(
      long id, String source, boolean linearizable, Key key, long t0, String error) {
    return new Read(id, source, linearizable, key, null, t0, history.now(), false, 0, 0, error);
  }

  @Override
  public void close() {
    loop.stop(ClientWriter.TIMEOUT_MS + 5_000);
    client.close();
  }
}
