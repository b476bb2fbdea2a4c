package io.mapsync.chaos.check;

import io.mapsync.chaos.cluster.Incarnation;
import io.mapsync.chaos.history.History;
import io.mapsync.chaos.history.Key;
import io.mapsync.chaos.history.Value;
import io.mapsync.chaos.traffic.WatchLog;
import java.util.List;
import java.util.Map;

/**
 * What the checks judge, gathered once the faults healed and traffic stopped: the history, the
 * store, every agent's map, every watcher's log, every process incarnation. Checks are pure
 * functions of it, so each can be tested on a made-up history.
 *
 * @param maps each member's map content, by member id
 * @param members each member's own account (applied revision, pending writes, fatal log lines)
 */
public record Evidence(
    History history,
    StoreContent store,
    Map<String, Map<Key, Value>> maps,
    List<WatchLog> watches,
    List<Incarnation> incarnations,
    List<MemberState> members) {}
