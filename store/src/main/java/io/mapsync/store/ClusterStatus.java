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

  /** The members that did not answer the status request (role UNKNOWN). */
  public List<MemberStatus> unreachable() {
    return members.stream().filter(m -> m.role().equals("UNKNOWN")).toList();
  }

  /**
   * Why writes cannot proceed, for an operator, or empty while a leader is known: the members that
   * do not answer, named with their addresses, since a quorum of them has to come back.
   */
  public java.util.Optional<String> noLeaderReason() {
    if (!leader.isEmpty()) {
      return java.util.Optional.empty();
    }
    if (members.isEmpty()) {
      return java.util.Optional.of(
          "no leader: this member is not in a cluster configuration yet; a running member"
              + " must add it ('mapsync members add ID=HOST:PORT')");
    }
    List<MemberStatus> down = unreachable();
    String names =
        String.join(", ", down.stream().map(m -> m.id() + " (" + m.address() + ")").toList());
    return java.util.Optional.of(
        down.isEmpty()
            ? "no leader yet: an election is under way"
            : "no leader: waiting for a quorum of voters; unreachable: "
                + names
                + "; start them, or check their addresses and the network between the members");
  }
}
