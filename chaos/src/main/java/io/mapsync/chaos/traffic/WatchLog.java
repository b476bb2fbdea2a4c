package io.mapsync.chaos.traffic;

import io.mapsync.chaos.history.Key;
import io.mapsync.chaos.history.Value;
import java.util.Map;

/**
 * What one watcher saw: its events in arrival order, the points where it resynced from a full read,
 * and the stream errors it recovered from.
 */
public record WatchLog(
    String member,
    java.util.List<WatchedEvent> events,
    java.util.List<Resync> resyncs,
    java.util.List<String> errors) {

  /**
   * A point where the watcher restarted from a full read of the map instead of events.
   *
   * @param revision the read's revision; events after it follow
   * @param afterEvents how many events had arrived before it
   */
  public record Resync(
      long revision, Map<Key, Value> content, int afterEvents, long atMs, String reason) {}
}
