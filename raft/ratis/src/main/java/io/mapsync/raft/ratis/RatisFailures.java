package io.mapsync.raft.ratis;

import io.mapsync.store.StoreException;
import io.mapsync.store.StoreException.Reason;
import java.io.IOException;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeoutException;
import org.apache.ratis.protocol.exceptions.AlreadyClosedException;
import org.apache.ratis.protocol.exceptions.GroupMismatchException;
import org.apache.ratis.protocol.exceptions.LeaderNotReadyException;
import org.apache.ratis.protocol.exceptions.LeaderSteppingDownException;
import org.apache.ratis.protocol.exceptions.NotLeaderException;
import org.apache.ratis.protocol.exceptions.RaftRetryFailureException;
import org.apache.ratis.protocol.exceptions.ReadException;
import org.apache.ratis.protocol.exceptions.ReadIndexException;
import org.apache.ratis.protocol.exceptions.ReconfigurationInProgressException;
import org.apache.ratis.protocol.exceptions.ReconfigurationTimeoutException;
import org.apache.ratis.protocol.exceptions.ResourceUnavailableException;
import org.apache.ratis.protocol.exceptions.ServerNotReadyException;
import org.apache.ratis.protocol.exceptions.SetConfigurationException;
import org.apache.ratis.protocol.exceptions.StateMachineException;
import org.apache.ratis.protocol.exceptions.TimeoutIOException;
import org.apache.ratis.protocol.exceptions.TransferLeadershipException;

/**
 * The one place where Ratis failures become {@link StoreException}s: a typed reason the caller can
 * act on, and a message that says what failed and why in words.
 */
final class RatisFailures {
  private RatisFailures() {}

  /**
   * @param what the operation, for the message (e.g. "propose on n2")
   * @param failure what Ratis (or the future around it) failed with
   */
  static StoreException toStore(String what, Throwable failure) {
    Throwable e = unwrap(failure);
    if (e instanceof StoreException already) {
      return already;
    }
    if (e instanceof RaftRetryFailureException retries && retries.getCause() != null) {
      // The client gave up retrying: the last failure says why.
      StoreException last = toStore(what, retries.getCause());
      return new StoreException(
          last.reason(),
          stripReason(last) + " (gave up after " + retries.getAttemptCount() + " attempts)",
          e);
    }
    Reason reason = reasonOf(e);
    return new StoreException(reason, what + ": " + explain(reason, e), e);
  }

  /**
   * CLOSED is never Ratis's to say: a member reports it itself once closed. Ratis's
   * AlreadyClosedException comes from a client whose request window closed after an earlier request
   * gave up (the member replaces that client), or from a peer that is stopping: retry.
   */
  static Reason reasonOf(Throwable e) {
    if (e instanceof NotLeaderException
        || e instanceof LeaderNotReadyException
        || e instanceof LeaderSteppingDownException
        || e instanceof TransferLeadershipException
        || e instanceof ReadIndexException) {
      return Reason.NO_LEADER;
    }
    if (e instanceof StateMachineException
        || e instanceof SetConfigurationException
            && !(e instanceof ReconfigurationInProgressException)
            && !(e instanceof ReconfigurationTimeoutException)) {
      return Reason.REJECTED;
    }
    if (e instanceof TimeoutIOException
        || e instanceof TimeoutException
        || e instanceof ReconfigurationTimeoutException) {
      return Reason.TIMEOUT;
    }
    return Reason.UNAVAILABLE;
  }

  private static String explain(Reason reason, Throwable e) {
    String detail =
        e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage());
    String why =
        switch (reason) {
          case NO_LEADER ->
              e instanceof LeaderNotReadyException
                  ? "the new leader is not ready yet"
                  : "no leader is known (election in progress or no majority reachable)";
          case REJECTED ->
              e instanceof StateMachineException sm && sm.getCause() != null
                  ? "the store refused the entry: " + sm.getCause().getMessage()
                  : "refused";
          case TIMEOUT -> "no answer in time; it may or may not have been applied";
          default -> explainUnavailable(e);
        };
    return why + " [" + detail + "]";
  }

  private static String explainUnavailable(Throwable e) {
    if (e instanceof AlreadyClosedException) {
      return "the Raft client stopped after an earlier request gave up (a new client replaces it)";
    }
    if (e instanceof GroupMismatchException) {
      return "the member does not serve this cluster's group (yet): a joining member must be added first";
    }
    if (e instanceof ResourceUnavailableException) {
      return "the leader has too many pending requests";
    }
    if (e instanceof ReadException) {
      return "the member is installing a snapshot";
    }
    if (e instanceof ReconfigurationInProgressException) {
      return "another membership change is in progress";
    }
    if (e instanceof ServerNotReadyException) {
      return "the member is still starting";
    }
    return e instanceof IOException ? "members cannot be reached" : "unexpected failure";
  }

  private static String stripReason(StoreException e) {
    String message = e.getMessage();
    String prefix = e.reason() + ": ";
    return message.startsWith(prefix) ? message.substring(prefix.length()) : message;
  }

  static Throwable unwrap(Throwable t) {
    Throwable e = t;
    while ((e instanceof CompletionException || e instanceof ExecutionException)
        && e.getCause() != null) {
      e = e.getCause();
    }
    if (e instanceof CancellationException) {
      return new TimeoutException("cancelled");
    }
    return e;
  }
}
