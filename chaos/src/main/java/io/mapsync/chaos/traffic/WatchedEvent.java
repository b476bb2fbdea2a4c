package io.mapsync.chaos.traffic;

import io.mapsync.chaos.history.Key;
import io.mapsync.chaos.history.Value;

/**
 * One event a watch delivered.
 *
 * @param response which response (of this watcher, counted from 1) carried it
 * @param revision the event's mod revision
 * @param key the map key
 * @param value the new value, or null for a delete
 * @param receivedMs when it arrived, in ms since the run started
 */
public record WatchedEvent(long response, long revision, Key key, Value value, long receivedMs) {
  @Override
  public String toString() {
    return "rev "
        + revision
        + " "
        + (value == null ? "delete " + key : "put " + key + "=" + value)
        + " (response "
        + response
        + ", "
        + receivedMs
        + " ms)";
  }
}
