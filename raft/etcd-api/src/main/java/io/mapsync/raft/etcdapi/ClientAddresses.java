package io.mapsync.raft.etcdapi;

import io.mapsync.store.KeyRanges;
import io.mapsync.store.cluster.ClusterMember;
import io.mapsync.store.state.KeyLayout;
import io.mapsync.store.state.ReplicaState;
import io.mapsync.wire.KeyValue;
import io.mapsync.wire.KvRange;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Fills in members' client addresses from the replicated key space ({@code /mapsync/members/<id>},
 * written by each agent at start): the Raft configuration carries only peer addresses, so without
 * this a member knows only its own client address and those of members it added itself.
 */
final class ClientAddresses {
  private ClientAddresses() {}

  static List<ClusterMember> fill(List<ClusterMember> members, ReplicaState local) {
    Map<String, String> known = read(local);
    return members.stream()
        .map(
            m -> {
              String address = known.getOrDefault(m.id(), m.clientAddress());
              return address.equals(m.clientAddress())
                  ? m
                  : new ClusterMember(m.id(), m.peerAddress(), address, m.listener());
            })
        .toList();
  }

  private static Map<String, String> read(ReplicaState local) {
    Map<String, String> out = new HashMap<>();
    KvRange range =
        KvRange.newBuilder()
            .setKey(KeyLayout.MEMBERS_PREFIX)
            .setRangeEnd(KeyRanges.prefixEnd(KeyLayout.MEMBERS_PREFIX))
            .build();
    for (KeyValue kv : local.range(range).getKvsList()) {
      KeyLayout.parseMemberKey(kv.getKey())
          .ifPresent(id -> out.put(id, kv.getValue().toStringUtf8()));
    }
    return out;
  }
}
