package io.mapsync.store;

import io.mapsync.wire.DeltaRejection;
import java.util.List;

/**
 * The outcome of a committed proposal.
 *
 * @param revision the log position the entry was committed at
 * @param rejections deltas of the batch that were refused, each with a reason; the rest were
 *     applied
 * @param duplicate true if the batch had been applied before and was acknowledged again without
 *     effect
 */
public record Commit(long revision, List<DeltaRejection> rejections, boolean duplicate) {
  public Commit {
    rejections = List.copyOf(rejections);
  }

  public static Commit of(long revision) {
    return new Commit(revision, List.of(), false);
  }
}
