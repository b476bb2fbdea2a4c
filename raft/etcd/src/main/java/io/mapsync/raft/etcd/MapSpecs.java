package io.mapsync.raft.etcd;

import com.google.protobuf.InvalidProtocolBufferException;
import io.etcd.jetcd.KV;
import io.etcd.jetcd.kv.GetResponse;
import io.etcd.jetcd.options.GetOption;
import io.mapsync.store.KeyRanges;
import io.mapsync.store.state.KeyLayout;
import io.mapsync.wire.MapSpec;
import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The registered map specs ({@code /mapsync/specs/<map>}, MapSpec protobuf bytes), cached. A spec
 * never changes once registered (a different one is refused), so a cached spec stays right; a map
 * not in the cache is looked up again on every use, so a map registered later is found.
 */
final class MapSpecs {
  private static final Logger LOG = LoggerFactory.getLogger(MapSpecs.class);

  private final KV kv;
  private final Retrier retrier;
  private final Map<String, MapSpec> cache = new ConcurrentHashMap<>();

  MapSpecs(KV kv, Retrier retrier) {
    this.kv = kv;
    this.retrier = retrier;
  }

  /** The specs of the named maps that are registered; unregistered names are left out. */
  CompletableFuture<Map<String, MapSpec>> resolve(Collection<String> names) {
    Map<String, MapSpec> known = new HashMap<>();
    boolean missing = false;
    for (String name : names) {
      MapSpec spec = cache.get(name);
      if (spec == null) {
        missing = true;
      } else {
        known.put(name, spec);
      }
    }
    if (!missing) {
      return CompletableFuture.completedFuture(known);
    }
    return readAll()
        .thenApply(
            all -> {
              Map<String, MapSpec> out = new HashMap<>();
              for (String name : names) {
                MapSpec spec = all.get(name);
                if (spec != null) {
                  out.put(name, spec);
                }
              }
              return out;
            });
  }

  /** Reads every registered spec (there are few) with a linearizable read, and caches them. */
  CompletableFuture<Map<String, MapSpec>> readAll() {
    GetOption all =
        GetOption.builder()
            .withRange(KvMapping.seq(KeyRanges.prefixEnd(KeyLayout.SPECS_PREFIX)))
            .build();
    return retrier
        .call("read map specs", () -> kv.get(KvMapping.seq(KeyLayout.SPECS_PREFIX), all))
        .thenApply(this::remember);
  }

  /** Parses and caches the specs of a range read over the specs prefix. */
  Map<String, MapSpec> remember(GetResponse response) {
    Map<String, MapSpec> out = new HashMap<>();
    for (io.etcd.jetcd.KeyValue kv : response.getKvs()) {
      var name = KeyLayout.parseSpecKey(KvMapping.bytes(kv.getKey()));
      if (name.isEmpty()) {
        continue;
      }
      try {
        MapSpec spec = MapSpec.parseFrom(kv.getValue().getBytes());
        if (!spec.getName().equals(name.get())) {
          LOG.warn(
              "spec key for map '{}' holds the spec of '{}'; ignoring it",
              name.get(),
              spec.getName());
          continue;
        }
        cache.put(spec.getName(), spec);
        out.put(spec.getName(), spec);
      } catch (InvalidProtocolBufferException e) {
        LOG.warn("spec key for map '{}' does not hold a MapSpec; ignoring it", name.get());
      }
    }
    return out;
  }

  void remember(MapSpec spec) {
    cache.put(spec.getName(), spec);
  }
}
