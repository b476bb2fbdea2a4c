package io.mapsync.chaos.check;

import com.google.protobuf.ByteString;
import io.etcd.jetcd.ByteSequence;
import io.etcd.jetcd.Client;
import io.etcd.jetcd.KeyValue;
import io.etcd.jetcd.options.GetOption;
import io.mapsync.chaos.cluster.ClusterSettings;
import io.mapsync.chaos.history.Key;
import io.mapsync.chaos.history.Value;
import io.mapsync.store.state.KeyLayout;
import java.util.Collections;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The replicated map as the store holds it, read linearizably through the etcd API (what `mapsync
 * get chaos` prints), at one revision.
 */
public record StoreContent(long revision, Map<Key, StoredValue> entries) {
  public StoreContent {
    entries = Collections.unmodifiableMap(new HashMap<>(entries));
  }

  /** Reads the whole map through a member's client port. */
  public static StoreContent read(Client client) throws Exception {
    var resp =
        client
            .getKVClient()
            .get(
                ByteSequence.from(KeyLayout.mapPrefix(ClusterSettings.MAP).toByteArray()),
                GetOption.builder().isPrefix(true).build())
            .get(10, TimeUnit.SECONDS);
    Map<Key, StoredValue> out = new HashMap<>();
    for (KeyValue kv : resp.getKvs()) {
      var entry =
          KeyLayout.parseEntryKey(ByteString.copyFrom(kv.getKey().getBytes()))
              .orElseThrow(() -> new IllegalStateException("not a map entry key: " + kv.getKey()));
      Key key = Key.of(entry.rawKey().toByteArray());
      if (key == null) {
        throw new IllegalStateException(
            "the store holds a key no traffic wrote: " + entry.rawKey());
      }
      out.put(key, new StoredValue(new Value(kv.getValue().getBytes()), kv.getModRevision()));
    }
    return new StoreContent(resp.getHeader().getRevision(), out);
  }

  /** Just the values, to compare with a map. */
  public Map<Key, Value> values() {
    Map<Key, Value> out = new HashMap<>();
    entries.forEach((k, v) -> out.put(k, v.value()));
    return out;
  }
}
