package io.mapsync.store.cluster;

/**
 * A member of an embedded cluster.
 *
 * @param id its name (e.g. n1); also its Raft peer id
 * @param peerAddress host:port where the other members reach it
 * @param clientAddress host:port of its client port (the etcd v3 API), or empty if unknown
 * @param listener true for a listener: it receives the log but never votes
 */
public record ClusterMember(
    String id, String peerAddress, String clientAddress, boolean listener) {}
