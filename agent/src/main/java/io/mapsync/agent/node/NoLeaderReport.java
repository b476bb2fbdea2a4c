package io.mapsync.agent.node;

import java.time.Duration;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Says, every few seconds while it lasts, why the cluster has no leader (which peers do not
 * answer), and once when a leader is known again. Elections take about a second, so a shorter gap
 * is not reported at all.
 */
final class NoLeaderReport {
  private static final Logger LOG = LoggerFactory.getLogger(NoLeaderReport.class);
  private static final Duration QUIET = Duration.ofSeconds(2);
  private static final Duration EVERY = Duration.ofSeconds(5);

  private final String selfId;
  private final String state;
  private long since;
  private long nextReport;
  private boolean reported;

  /**
   * @param state what this agent is meanwhile, e.g. "not ready" or "ready, but writes wait"
   */
  NoLeaderReport(String selfId, String state) {
    this.selfId = selfId;
    this.state = state;
  }

  /** One status reading: the reason there is no leader, or empty while there is one. */
  synchronized void observe(Optional<String> noLeader) {
    long now = System.nanoTime();
    if (noLeader.isEmpty()) {
      if (reported) {
        LOG.info("{}: a leader is known after {} s", selfId, (now - since) / 1_000_000_000);
      }
      since = 0;
      reported = false;
      return;
    }
    if (since == 0) {
      since = now;
      nextReport = now + QUIET.toNanos();
    }
    if (now >= nextReport) {
      LOG.warn(
          "{}: {}, waiting for {} s: {}",
          selfId,
          state,
          (now - since) / 1_000_000_000,
          noLeader.get());
      reported = true;
      nextReport = now + EVERY.toNanos();
    }
  }
}
