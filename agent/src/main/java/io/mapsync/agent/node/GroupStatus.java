package io.mapsync.agent.node;

import io.mapsync.store.MemberStatus;
import java.util.List;

/**
 * One Raft group as a member sees it, for {@code mapsync status}.
 *
 * @param name the group's name ({@code default} for the group every member starts with)
 * @param leader its leader's id, or empty
 * @param term its current term
 * @param members its members' progress (voters and listeners)
 * @param maps the maps this agent replicates through it
 */
public record GroupStatus(
    String name, String leader, long term, List<MemberStatus> members, List<String> maps) {
  /**
   * The key of the etcd v3 API that answers with every group's status (JSON), when there are
   * several.
   */
  public static final String KEY = "/mapsync/status/groups";
}
