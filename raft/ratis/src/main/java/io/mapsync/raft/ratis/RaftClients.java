package io.mapsync.raft.ratis;

import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.function.Supplier;
import org.apache.ratis.client.RaftClient;
import org.apache.ratis.protocol.exceptions.StateMachineException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The member's Raft client, replaced by a new one once Ratis has broken it. Ratis's ordered async
 * client keeps one sliding window of requests; when a request fails without a reply (it gave up
 * after the request timeout, or the group did not know it), the window is failed for good and every
 * later request through that client fails at once with "SlidingWindow$Client … is closed" (chaos
 * bug 5). The only way out is a new client.
 */
final class RaftClients implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(RaftClients.class);

  private final String member;
  private final Supplier<RaftClient> factory;
  private final Executor closer;
  private RaftClient current;
  private boolean closed;

  /**
   * @param factory builds a client (the first one now)
   * @param closer where a replaced client is closed (closing one waits for its connections)
   */
  RaftClients(String member, Supplier<RaftClient> factory, Executor closer) {
    this.member = member;
    this.factory = factory;
    this.closer = closer;
    this.current = factory.get();
  }

  synchronized RaftClient current() {
    return current;
  }

  /**
   * Called with the failure of a request sent through {@code used}. A failure the state machine
   * replied with (the entry was refused) leaves the window intact; any other means the window is
   * closed, and {@code used} is replaced unless that already happened.
   */
  void renewIfBroken(RaftClient used, Throwable failure) {
    if (RatisFailures.unwrap(failure) instanceof StateMachineException) {
      return;
    }
    synchronized (this) {
      if (closed || current != used) {
        return;
      }
      current = factory.get();
    }
    LOG.warn(
        "{}: the Raft client stopped after a request failed ({}); a new client replaces it",
        member,
        RatisFailures.unwrap(failure).getClass().getSimpleName());
    try {
      closer.execute(() -> closeQuietly(used));
    } catch (RejectedExecutionException e) {
      closeQuietly(used);
    }
  }

  @Override
  public void close() {
    RaftClient last;
    synchronized (this) {
      closed = true;
      last = current;
    }
    closeQuietly(last);
  }

  private void closeQuietly(RaftClient client) {
    try {
      client.close();
    } catch (Exception e) {
      LOG.warn("{}: closing a Raft client failed", member, e);
    }
  }
}
