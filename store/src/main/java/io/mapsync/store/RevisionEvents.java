package io.mapsync.store;

import java.util.List;

/**
 * Every change one committed log entry made, in the order it made them.
 *
 * @param revision the entry's revision (its log position)
 * @param events the changes, possibly empty when the entry changed nothing watched
 */
public record RevisionEvents(long revision, List<Event> events) {
  public RevisionEvents {
    events = List.copyOf(events);
  }
}
