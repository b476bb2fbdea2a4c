package io.mapsync.store;

import java.util.List;

/**
 * What the store knows about its cluster.
 *
 * @param backend "ratis", "etcd" or "memory"
 * @param leader the leader's id, or empty when none is known
 * @param term the current term
 * @param members every member, voters and listeners
 */
public record ClusterStatus(String backend, String leader, long term, List<MemberStatus> members) {
  public ClusterStatus {
    members = List.copyOf(members);
  }
}
