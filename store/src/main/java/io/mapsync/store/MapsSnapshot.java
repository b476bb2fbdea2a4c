package io.mapsync.store;

import io.mapsync.wire.MapSpec;
import java.util.List;
import java.util.Map;

/**
 * The content of some maps at one revision, read consistently: every delta up to the revision is in
 * it and none after. A watch from revision + 1 continues it without gap or overlap.
 *
 * @param revision the revision the copy reflects
 * @param specs the registered spec of each map that exists
 * @param entries the entries of each map, in key order
 */
public record MapsSnapshot(
    long revision, Map<String, MapSpec> specs, Map<String, List<StoredEntry>> entries) {
  public List<StoredEntry> entries(String map) {
    return entries.getOrDefault(map, List.of());
  }
}
