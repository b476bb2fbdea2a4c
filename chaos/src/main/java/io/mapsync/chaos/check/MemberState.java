package io.mapsync.chaos.check;

/**
 * One member's own account of itself at the end of a run, from its metrics endpoint and its log.
 *
 * @param appliedRevision the last revision its agent applied to its map (mapsync_applied_revision;
 *     -1 if unknown)
 * @param pendingWrites local writes captured but not settled (mapsync_pending_writes)
 * @param raftFailure the line of its log where its Raft member failed for good, or empty
 * @param closedProposals proposals its own store client refused as CLOSED while the agent ran
 *     (mapsync_propose_failures_total{reason="CLOSED"})
 * @param resyncRevisions revisions at which its agent's latest incarnation replaced its maps from a
 *     snapshot after losing its log watch (from its log)
 */
public record MemberState(
    String member,
    long appliedRevision,
    long pendingWrites,
    String raftFailure,
    long closedProposals,
    java.util.List<Long> resyncRevisions) {}
