package io.mapsync.agent.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Command-line settings replace the file's, through the keys of AgentSettings. */
class ConfigOverridesTest {
  private static final String FILE =
      """
      id: n1
      data_dir: /tmp/mapsync/n1
      peers: {n1: 127.0.0.1:7001}
      batching: {max_deltas: 512, linger: 50us}
      maps:
        - {name: sessions, type: hash, key_size: 8, value_size: 8, max_entries: 64}
      """;

  private static AgentConfig resolve(ConfigOverrides flags) {
    return ConfigChecker.check(flags.applyTo(ConfigLoader.parse("mapsync.yaml", FILE)));
  }

  private static String error(String... settings) {
    return assertThrows(
            ConfigException.class, () -> resolve(ConfigOverrides.none().withSet(List.of(settings))))
        .getMessage();
  }

  @Test
  void namedFlagsAndSetReplaceTheFilesValuesAndKeepTheRest() {
    AgentConfig c =
        resolve(
            ConfigOverrides.none()
                .with(AgentSettings.ID, "--id", "n2")
                .withPeers("n1=127.0.0.1:7001,n2=127.0.0.1:7002")
                .withSet(
                    List.of(
                        "batching.linger=2ms",
                        "store.raft_properties={raft.server.log.segment.size.max: 8MB}",
                        "join=true")));
    assertEquals("n2", c.id());
    assertEquals(Map.of("n1", "127.0.0.1:7001", "n2", "127.0.0.1:7002"), c.peers());
    assertEquals(Duration.ofMillis(2), c.batching().linger());
    assertEquals(512, c.batching().maxDeltas(), "a sibling the flags did not name stays");
    assertEquals(Map.of("raft.server.log.segment.size.max", "8MB"), c.store().raftProperties());
    assertTrue(c.join());
    assertEquals("sessions", c.maps().get(0).name());
  }

  @Test
  void theLastSettingOfAKeyWins() {
    AgentConfig c =
        resolve(
            ConfigOverrides.none()
                .with(AgentSettings.ID, "--id", "n2")
                .withSet(List.of("id=n3", "peers={n3: 127.0.0.1:7003}")));
    assertEquals("n3", c.id());
  }

  @Test
  void everyTopLevelKeyCanBeSetAndLandsWhereTheFileWouldPutIt() {
    for (AgentSettings.Key<?> key : AgentSettings.TOP_LEVEL) {
      String sample =
          switch (key.type()) {
            case "bool" -> "true";
            case "int" -> "7";
            default ->
                key.type().startsWith("list")
                    ? "[a, b]"
                    : key.type().startsWith("map") ? "{a: b}" : "text-for-" + key.key();
          };
      ConfigFile bound =
          ConfigOverrides.none()
              .withSet(List.of(key.key() + "=" + sample))
              .applyTo(ConfigLoader.parse("mapsync.yaml", FILE));
      JsonNode tree = ConfigLoader.mapper().valueToTree(bound);
      JsonNode at = tree.at("/" + key.key().replace('.', '/'));
      assertEquals(ConfigLoader.mapper().valueToTree(parsedSample(sample)), at, key.key());
    }
  }

  private static Object parsedSample(String sample) {
    return switch (sample) {
      case "true" -> true;
      case "7" -> 7;
      case "[a, b]" -> List.of("a", "b");
      case "{a: b}" -> Map.of("a", "b");
      default -> sample;
    };
  }

  @Test
  void withoutAFileTheFlagsAloneMakeTheConfig() {
    AgentConfig c =
        ConfigChecker.check(
            ConfigOverrides.none()
                .withSet(List.of("id=n1", "data_dir=/tmp/x", "peers={n1: 127.0.0.1:7001}"))
                .withMaps(List.of("sessions:hash:8:8:64"))
                .applyTo(null));
    assertEquals("n1", c.id());
    assertEquals(64, c.maps().get(0).maxEntries());
  }

  @Test
  void badSettingsNameTheFlagAndWhatIsExpected() {
    String unknown = error("batching.lingr=2ms");
    assertTrue(
        unknown.contains("--set batching.lingr")
            && unknown.contains("no such setting")
            && unknown.contains("batching.linger"),
        unknown);
    String mapKey = error("key_size=8");
    assertTrue(mapKey.contains("--map"), mapKey);
    String noEquals = error("batching.linger");
    assertTrue(noEquals.contains("is not key=value"), noEquals);
    String wrongType = error("join=[1, 2]");
    assertTrue(wrongType.contains("--set join") && wrongType.contains("wrong type"), wrongType);
    String badValue = error("batching.linger=soon");
    assertTrue(badValue.contains("batching.linger"), badValue);
    String badYaml = error("listeners=[a, b");
    assertTrue(badYaml.contains("--set listeners") && badYaml.contains("list"), badYaml);
  }
}
