package io.mapsync.agent.cli;

import com.google.protobuf.ByteString;
import io.etcd.jetcd.Client;
import io.etcd.jetcd.Watch;
import io.etcd.jetcd.options.WatchOption;
import io.etcd.jetcd.watch.WatchEvent;
import io.mapsync.store.StoreException;
import io.mapsync.store.state.KeyLayout;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** Prints committed map changes as they happen, one JSON line each. */
@Command(
    name = "watch",
    mixinStandardHelpOptions = true,
    description = "Print committed changes of one map (or all maps), one JSON line each.")
final class WatchCommand implements Callable<Integer> {
  @Mixin Endpoints endpoints;

  @Parameters(index = "0", arity = "0..1", description = "map name (omit for every map)")
  String map;

  @Option(names = "--from", description = "first revision to print (default: the next commit)")
  long from;

  @Option(
      names = "--count",
      description = "stop after this many changes (default: run until interrupted)")
  long count;

  @Override
  public Integer call() throws Exception {
    ByteString prefix = map == null ? KeyLayout.MAPS_PREFIX : KeyLayout.mapPrefix(map);
    CompletableFuture<Integer> done = new CompletableFuture<>();
    long[] printed = {0};
    try (Client c = endpoints.connect()) {
      WatchOption opt =
          WatchOption.builder().isPrefix(true).withRevision(from).withPrevKV(false).build();
      Watch.Listener listener =
          Watch.listener(
              response -> {
                for (WatchEvent e : response.getEvents()) {
                  print(e);
                  if (count > 0 && ++printed[0] >= count) {
                    done.complete(0);
                  }
                }
              },
              error ->
                  done.completeExceptionally(
                      new StoreException(
                          StoreException.Reason.UNAVAILABLE, "watch ended: " + error.getMessage())),
              () -> done.complete(0));
      try (Watch.Watcher w =
          c.getWatchClient().watch(MapKeyCommands.bytes(prefix), opt, listener)) {
        return done.get();
      }
    }
  }

  private static void print(WatchEvent e) {
    ByteString key = ByteString.copyFrom(e.getKeyValue().getKey().getBytes());
    var parsed = KeyLayout.parseEntryKey(key);
    if (parsed.isEmpty()) {
      return;
    }
    boolean put = e.getEventType() == WatchEvent.EventType.PUT;
    String value =
        put
            ? ",\"value\":\""
                + Hex.of(ByteString.copyFrom(e.getKeyValue().getValue().getBytes()))
                + "\""
            : "";
    System.out.printf(
        "{\"revision\":%d,\"op\":\"%s\",\"map\":\"%s\",\"key\":\"%s\"%s}%n",
        e.getKeyValue().getModRevision(),
        put ? "put" : "delete",
        parsed.get().map(),
        Hex.of(parsed.get().rawKey()),
        value);
    System.out.flush();
  }
}
