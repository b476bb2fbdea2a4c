package io.mapsync.raft.ratis;

import java.util.List;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * An additional Raft group hosted by the same members' servers (multi-raft): its name and its
 * voters, a subset of the cluster's peers. Its group id is derived from the cluster and group
 * names.
 *
 * @param name unique among the cluster's groups; 1-64 letters, digits, '_', '.' or '-'
 * @param members the voters of this group, each one of the cluster's peers
 */
public record RaftGroupSpec(String name, List<String> members) {
  private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.-]{0,63}");

  public RaftGroupSpec {
    Objects.requireNonNull(name, "name");
    if (!NAME.matcher(name).matches()) {
      throw new IllegalArgumentException(
          "group name '" + name + "' must be 1-64 letters, digits, '_', '.' or '-'");
    }
    members = List.copyOf(members == null ? List.of() : members);
    if (members.isEmpty()) {
      throw new IllegalArgumentException("group '" + name + "' has no members");
    }
    if (members.stream().distinct().count() != members.size()) {
      throw new IllegalArgumentException("group '" + name + "' lists a member twice: " + members);
    }
  }
}
