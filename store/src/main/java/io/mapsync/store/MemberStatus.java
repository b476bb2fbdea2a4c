package io.mapsync.store;

/**
 * One member of the cluster as its status reports it.
 *
 * @param id the member's name (e.g. n1)
 * @param address where its peers reach it
 * @param role LEADER, FOLLOWER, CANDIDATE, LISTENER, or UNKNOWN when it did not answer
 * @param term its current term
 * @param commitIndex the highest log index it knows committed
 * @param appliedIndex the highest log index it applied
 * @param snapshotIndex the log index of its latest snapshot
 */
public record MemberStatus(
    String id,
    String address,
    String role,
    long term,
    long commitIndex,
    long appliedIndex,
    long snapshotIndex) {}
