package io.mapsync.agent.cli;

import com.google.protobuf.ByteString;
import io.etcd.jetcd.ByteSequence;
import io.etcd.jetcd.Client;
import io.etcd.jetcd.KeyValue;
import io.etcd.jetcd.options.GetOption;
import io.mapsync.store.state.KeyLayout;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

/** put, get and del of replicated map entries through any member's client port. */
final class MapKeyCommands {
  private MapKeyCommands() {}

  static ByteSequence bytes(ByteString b) {
    return ByteSequence.from(b.toByteArray());
  }

  /** Writes one entry; the store checks it against the map's spec. */
  @Command(
      name = "put",
      mixinStandardHelpOptions = true,
      description = "Write an entry of a replicated map.")
  static final class Put implements Callable<Integer> {
    @Mixin Endpoints endpoints;

    @Parameters(index = "0", description = "map name")
    String map;

    @Parameters(index = "1", description = "key as hex bytes")
    String key;

    @Parameters(index = "2", description = "value as hex bytes")
    String value;

    @Override
    public Integer call() {
      try (Client c = endpoints.connect()) {
        var resp =
            Calls.await(
                c.getKVClient()
                    .put(
                        bytes(KeyLayout.entryKey(map, Hex.parse("KEY", key))),
                        bytes(Hex.parse("VALUE", value))),
                "put to map '" + map + "'",
                endpoints.urls());
        System.out.println("OK revision " + resp.getHeader().getRevision());
      }
      return 0;
    }
  }

  /** Deletes one entry. */
  @Command(
      name = "del",
      mixinStandardHelpOptions = true,
      description = "Delete an entry of a replicated map.")
  static final class Del implements Callable<Integer> {
    @Mixin Endpoints endpoints;

    @Parameters(index = "0", description = "map name")
    String map;

    @Parameters(index = "1", description = "key as hex bytes")
    String key;

    @Override
    public Integer call() {
      try (Client c = endpoints.connect()) {
        var resp =
            Calls.await(
                c.getKVClient().delete(bytes(KeyLayout.entryKey(map, Hex.parse("KEY", key)))),
                "delete from map '" + map + "'",
                endpoints.urls());
        System.out.println(
            (resp.getDeleted() > 0 ? "deleted" : "not found")
                + " revision "
                + resp.getHeader().getRevision());
        return resp.getDeleted() > 0 ? 0 : 1;
      }
    }
  }

  /** Reads one entry, or every entry of a map. */
  @Command(
      name = "get",
      mixinStandardHelpOptions = true,
      description = "Read an entry (or all entries) of a replicated map, linearizably.")
  static final class Get implements Callable<Integer> {
    /** One entry as -o json prints it. */
    record Entry(String map, String key, String value, long modRevision) {}

    @Mixin Endpoints endpoints;

    @Parameters(index = "0", description = "map name")
    String map;

    @Parameters(index = "1", arity = "0..1", description = "key as hex bytes (omit for all)")
    String key;

    @Mixin OutputFormat output;

    @Override
    public Integer call() {
      try (Client c = endpoints.connect()) {
        ByteString k =
            key == null ? KeyLayout.mapPrefix(map) : KeyLayout.entryKey(map, Hex.parse("KEY", key));
        GetOption opt =
            key == null ? GetOption.builder().isPrefix(true).build() : GetOption.DEFAULT;
        var resp =
            Calls.await(
                c.getKVClient().get(bytes(k), opt), "read of map '" + map + "'", endpoints.urls());
        List<KeyValue> kvs = resp.getKvs();
        for (KeyValue kv : kvs) {
          var parsed =
              KeyLayout.parseEntryKey(ByteString.copyFrom(kv.getKey().getBytes())).orElseThrow();
          String v = Hex.of(ByteString.copyFrom(kv.getValue().getBytes()));
          if (output.json()) {
            System.out.println(
                OutputFormat.toJson(
                    new Entry(map, Hex.of(parsed.rawKey()), v, kv.getModRevision())));
          } else {
            System.out.println(Hex.of(parsed.rawKey()) + " " + v);
          }
        }
        if (kvs.isEmpty() && key != null) {
          System.err.println("mapsync: key " + key + " not found in map '" + map + "'");
          return 1;
        }
        return 0;
      }
    }
  }
}
