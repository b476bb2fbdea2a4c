package io.mapsync.raft.etcd;

import com.google.protobuf.ByteString;
import io.etcd.jetcd.KV;
import io.etcd.jetcd.kv.GetResponse;
import io.etcd.jetcd.options.GetOption;
import io.mapsync.store.KeyRanges;
import io.mapsync.store.MapsSnapshot;
import io.mapsync.store.StoreException;
import io.mapsync.store.StoredEntry;
import io.mapsync.store.state.KeyLayout;
import io.mapsync.wire.MapSpec;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;

/**
 * Reads maps as one consistent copy: a linearizable read of the specs fixes revision R, then every
 * map is read in pages at R, so the copy holds every change up to R and none after, whatever is
 * written meanwhile. If R is compacted away mid-read, the read starts over at a new revision.
 *
 * <p>etcd keeps no origin per entry (the values are raw BPF bytes, see docs/etcd-backend.md), so
 * the entries' origin is empty and their origin_seq 0.
 */
final class MapsReader {
  private static final int COMPACTION_RESTARTS = 3;

  private final KV kv;
  private final Retrier retrier;
  private final MapSpecs specs;
  private final int pageSize;

  MapsReader(KV kv, Retrier retrier, MapSpecs specs, int pageSize) {
    this.kv = kv;
    this.retrier = retrier;
    this.specs = specs;
    this.pageSize = pageSize;
  }

  CompletableFuture<MapsSnapshot> read(Collection<String> maps) {
    return read(List.copyOf(maps), 0);
  }

  private CompletableFuture<MapsSnapshot> read(List<String> maps, int restarts) {
    GetOption allSpecs =
        GetOption.builder()
            .withRange(KvMapping.seq(KeyRanges.prefixEnd(KeyLayout.SPECS_PREFIX)))
            .build();
    return retrier
        .call("read map specs", () -> kv.get(KvMapping.seq(KeyLayout.SPECS_PREFIX), allSpecs))
        .thenCompose(
            response -> {
              long revision = response.getHeader().getRevision();
              Map<String, MapSpec> registered = specs.remember(response);
              Map<String, MapSpec> chosen = new TreeMap<>();
              List<String> names =
                  maps.isEmpty() ? new ArrayList<>(new TreeMap<>(registered).keySet()) : maps;
              for (String name : names) {
                if (registered.containsKey(name)) {
                  chosen.put(name, registered.get(name));
                }
              }
              Map<String, List<StoredEntry>> entries = new LinkedHashMap<>();
              CompletableFuture<Void> all = CompletableFuture.completedFuture(null);
              for (String name : names) {
                if (chosen.containsKey(name)) {
                  all =
                      all.thenCompose(
                          x ->
                              readEntries(
                                      name, revision, KeyLayout.mapPrefix(name), new ArrayList<>())
                                  .thenAccept(list -> entries.put(name, list)));
                }
              }
              return all.thenApply(x -> new MapsSnapshot(revision, chosen, entries));
            })
        .exceptionallyCompose(
            e -> {
              StoreException se = EtcdClientErrors.toStoreException(e, "read maps");
              if (se.reason() == StoreException.Reason.COMPACTED
                  && restarts < COMPACTION_RESTARTS) {
                return read(maps, restarts + 1);
              }
              return CompletableFuture.failedFuture(se);
            });
  }

  private CompletableFuture<List<StoredEntry>> readEntries(
      String map, long revision, ByteString from, List<StoredEntry> into) {
    ByteString end = KeyRanges.prefixEnd(KeyLayout.mapPrefix(map));
    GetOption page =
        GetOption.builder()
            .withRange(KvMapping.seq(end))
            .withRevision(revision)
            .withLimit(pageSize)
            .build();
    return retrier
        .call("read map '" + map + "'", () -> kv.get(KvMapping.seq(from), page))
        .thenCompose(
            response -> {
              ByteString last = collect(response, into);
              if (!response.isMore() || last == null) {
                return CompletableFuture.completedFuture(into);
              }
              // The next page starts right after the last key read: the smallest key above it.
              return readEntries(
                  map, revision, last.concat(ByteString.copyFrom(new byte[] {0})), into);
            });
  }

  private static ByteString collect(GetResponse response, List<StoredEntry> into) {
    ByteString last = null;
    for (io.etcd.jetcd.KeyValue kv : response.getKvs()) {
      last = KvMapping.bytes(kv.getKey());
      KeyLayout.parseEntryKey(last)
          .ifPresent(
              k ->
                  into.add(
                      new StoredEntry(
                          k.rawKey(), KvMapping.bytes(kv.getValue()), kv.getModRevision(), "", 0)));
    }
    return last;
  }
}
