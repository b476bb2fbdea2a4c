package io.mapsync.agent.sync;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class AdaptiveLingerTest {
  private static final long LINGER = 100_000;

  @Test
  void aFirstChangeDoesNotWait() {
    AdaptiveLinger l = new AdaptiveLinger(LINGER);
    l.arrived(0);
    assertEquals(0, l.lingerNanos());
  }

  @Test
  void oneChangePerMillisecondDoesNotWait() {
    AdaptiveLinger l = new AdaptiveLinger(LINGER);
    for (int i = 0; i < 1000; i++) {
      l.arrived(i * 1_000_000L);
    }
    assertEquals(0, l.lingerNanos());
  }

  @Test
  void aHighRateWaitsTheConfiguredLinger() {
    AdaptiveLinger l = new AdaptiveLinger(LINGER);
    for (int i = 0; i < 1000; i++) {
      l.arrived(i * 10_000L); // 100k changes/s
    }
    assertEquals(LINGER, l.lingerNanos());
  }

  @Test
  void aPauseAfterAHighRateStopsTheWaitingWithinAFewChanges() {
    AdaptiveLinger l = new AdaptiveLinger(LINGER);
    long t = 0;
    for (int i = 0; i < 1000; i++) {
      l.arrived(t += 10_000L);
    }
    for (int i = 0; i < 3; i++) {
      l.arrived(t += 1_000_000_000L);
    }
    assertEquals(0, l.lingerNanos());
  }

  @Test
  void aClockThatStandsStillOrGoesBackCountsAsNoGap() {
    AdaptiveLinger l = new AdaptiveLinger(LINGER);
    for (int i = 0; i < 100; i++) {
      l.arrived(5);
    }
    l.arrived(0);
    assertEquals(LINGER, l.lingerNanos());
  }

  @Test
  void aZeroLingerNeverWaits() {
    AdaptiveLinger l = new AdaptiveLinger(0);
    for (int i = 0; i < 100; i++) {
      l.arrived(i);
    }
    assertEquals(0, l.lingerNanos());
  }
}
