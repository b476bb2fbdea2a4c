package io.mapsync.chaos.cluster;

import java.time.Instant;

/** Made-up incarnations for the checks' tests (the real ones are made by ChaosMember). */
public final class Incarnations {
  private Incarnations() {}

  public static Incarnation startedAndReady(String member, Instant started, Instant ready) {
    Incarnation i = new Incarnation(member, 1, 1, started);
    i.readyAt(ready);
    return i;
  }
}
