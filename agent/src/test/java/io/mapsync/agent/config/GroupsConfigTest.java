package io.mapsync.agent.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import org.junit.jupiter.api.Test;

/** store.groups and a map's group: read, defaulted, and every mistake refused by name. */
class GroupsConfigTest {
  private static final String BASE =
      """
      id: n1
      data_dir: /tmp/mapsync/n1
      peers: {n1: 127.0.0.1:7001, n2: 127.0.0.1:7002, n3: 127.0.0.1:7003, l4: 127.0.0.1:7004}
      listeners: [l4]
      STORE
      maps:
        - name: sessions
          type: hash
          key_size: 4
          value_size: 4
          max_entries: 64
          GROUP
        - name: nat
          type: hash
          key_size: 4
          value_size: 4
          max_entries: 64
      """;

  private static String yaml(String store, String group) {
    return BASE.replace("STORE", store).replace("GROUP", group);
  }

  private static AgentConfig check(String yaml) {
    return ConfigChecker.check(ConfigLoader.parse("mapsync.yaml", yaml));
  }

  private static String error(String yaml) {
    return assertThrows(ConfigException.class, () -> check(yaml)).getMessage();
  }

  @Test
  void groupsAreReadAndMembersDefaultToEveryVoter() {
    AgentConfig c =
        check(yaml("store: {groups: [{name: b, members: [n2, n3]}, {name: c}]}", "group: b"));
    assertEquals(
        List.of(
            new AgentConfig.Group("b", List.of("n2", "n3")),
            new AgentConfig.Group("c", List.of("n1", "n2", "n3"))),
        c.store().groups());
    assertEquals("b", c.maps().get(0).group());
    assertEquals(MapConfig.DEFAULT_GROUP, c.maps().get(1).group(), "a map without group:");
  }

  @Test
  void withoutGroupsEveryMapIsInTheDefaultGroup() {
    AgentConfig c = check(yaml("", ""));
    assertEquals(List.of(), c.store().groups());
    c.maps().forEach(m -> assertEquals(MapConfig.DEFAULT_GROUP, m.group()));
  }

  @Test
  void mistakesAreRefusedWithOneReadableMessage() {
    assertEquals(
        "maps[0].group: map 'sessions' names group 'x', which is not in store.groups [b, default]",
        error(yaml("store: {groups: [{name: b}]}", "group: x")));
    assertEquals(
        "maps[0].group: map 'sessions' names group 'b', which is not in store.groups [default]",
        error(yaml("", "group: b")));
    assertEquals(
        "store.groups[1].name: group 'b' is listed twice",
        error(yaml("store: {groups: [{name: b}, {name: b}]}", "")));
    assertEquals(
        "store.groups[0].members: 'n9' is not one of the voters [n1, n2, n3]",
        error(yaml("store: {groups: [{name: b, members: [n2, n9]}]}", "")));
    assertEquals(
        "store.groups[0].members: 'l4' is not one of the voters [n1, n2, n3] (it is a listener)",
        error(yaml("store: {groups: [{name: b, members: [l4]}]}", "")));
    assertEquals(
        "store.groups: several Raft groups need the embedded store (backend: ratis); an etcd"
            + " cluster is one log, remove store.groups or the group: of every map",
        error(
            yaml(
                "store: {backend: etcd, etcd_endpoints: [http://127.0.0.1:2379],"
                    + " groups: [{name: b}]}",
                "")));
    assertEquals(
        "store.groups[0].name: 'default' is the group of every map without group: and every"
            + " voter; it is not listed",
        error(yaml("store: {groups: [{name: default}]}", "")));
    assertEquals(
        "store.groups[0].name is required", error(yaml("store: {groups: [{members: [n1]}]}", "")));
  }
}
