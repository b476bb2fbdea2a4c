package io.mapsync.chaos.check;

import io.mapsync.chaos.history.Value;

/** A value in the store with the revision that last wrote it. */
public record StoredValue(Value value, long modRevision) {}
