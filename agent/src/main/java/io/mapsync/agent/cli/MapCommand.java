package io.mapsync.agent.cli;

import com.google.protobuf.InvalidProtocolBufferException;
import io.etcd.jetcd.ByteSequence;
import io.etcd.jetcd.Client;
import io.etcd.jetcd.KeyValue;
import io.etcd.jetcd.options.GetOption;
import io.mapsync.agent.config.ConfigException;
import io.mapsync.store.state.KeyLayout;
import io.mapsync.store.state.MapValidation;
import io.mapsync.wire.MapSpec;
import io.mapsync.wire.MapType;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

/** Registers and lists replicated maps (their specs). */
@Command(
    name = "map",
    mixinStandardHelpOptions = true,
    description = "Register or list replicated maps.",
    subcommands = {MapCommand.Add.class, MapCommand.ListMaps.class})
final class MapCommand implements Runnable {
  @picocli.CommandLine.Spec picocli.CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(System.out);
  }

  /**
   * Registers a map spec (agents register theirs at start; this is for maps without an agent yet).
   */
  @Command(
      name = "add",
      mixinStandardHelpOptions = true,
      description = "Register a map: NAME TYPE KEY_SIZE VALUE_SIZE MAX_ENTRIES.")
  static final class Add implements Callable<Integer> {
    @Mixin Endpoints endpoints;

    @Parameters(index = "0")
    String name;

    @Parameters(
        index = "1",
        description = "hash, lru_hash, array, percpu_hash, percpu_array, lru_percpu_hash")
    String type;

    @Parameters(index = "2")
    int keySize;

    @Parameters(index = "3")
    int valueSize;

    @Parameters(index = "4")
    int maxEntries;

    @Override
    public Integer call() {
      MapType t;
      try {
        t = MapType.valueOf(type.toUpperCase(Locale.ROOT));
      } catch (IllegalArgumentException e) {
        throw new ConfigException(
            "TYPE: '"
                + type
                + "' is not one of hash, lru_hash, array, percpu_hash, percpu_array, lru_percpu_hash");
      }
      MapSpec spec =
          MapSpec.newBuilder()
              .setName(name)
              .setType(t)
              .setKeySize(keySize)
              .setValueSize(valueSize)
              .setMaxEntries(maxEntries)
              .build();
      String problem = MapValidation.checkSpec(spec);
      if (problem != null) {
        throw new ConfigException(problem);
      }
      try (Client c = endpoints.connect()) {
        Calls.await(
            c.getKVClient()
                .put(
                    MapKeyCommands.bytes(KeyLayout.specKey(name)),
                    ByteSequence.from(spec.toByteArray())),
            "registration of map '" + name + "'",
            endpoints.urls());
        System.out.println("registered " + name + ": " + MapValidation.describe(spec));
      }
      return 0;
    }
  }

  /** Lists registered maps. */
  @Command(
      name = "list",
      mixinStandardHelpOptions = true,
      description = "List registered maps and their specs.")
  static final class ListMaps implements Callable<Integer> {
    @Mixin Endpoints endpoints;
    @Mixin OutputFormat output;

    /** One map as -o json prints it. */
    record Row(String name, String type, int keySize, int valueSize, int maxEntries) {}

    @Override
    public Integer call() throws InvalidProtocolBufferException {
      try (Client c = endpoints.connect()) {
        var resp =
            Calls.await(
                c.getKVClient()
                    .get(
                        MapKeyCommands.bytes(KeyLayout.SPECS_PREFIX),
                        GetOption.builder().isPrefix(true).build()),
                "map list",
                endpoints.urls());
        java.util.List<Row> rows = new java.util.ArrayList<>();
        for (KeyValue kv : resp.getKvs()) {
          MapSpec spec = MapSpec.parseFrom(kv.getValue().getBytes());
          rows.add(
              new Row(
                  spec.getName(),
                  spec.getType().name().toLowerCase(Locale.ROOT),
                  spec.getKeySize(),
                  spec.getValueSize(),
                  spec.getMaxEntries()));
          if (!output.json()) {
            System.out.println(spec.getName() + ": " + MapValidation.describe(spec));
          }
        }
        if (output.json()) {
          System.out.println(OutputFormat.toJson(rows));
        }
      }
      return 0;
    }
  }
}
