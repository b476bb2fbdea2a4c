package io.mapsync.agent.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mapsync.wire.MapType;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Config files are read strictly and every mistake names its field. */
class ConfigLoaderTest {
  private static final String GOOD =
      """
      id: n1
      data_dir: /tmp/mapsync/n1
      peers: {n1: 127.0.0.1:7001, n2: 127.0.0.1:7002, n3: 127.0.0.1:7003}
      client_address: 127.0.0.1:7101
      batching: {max_deltas: 512, linger: 50us}
      maps:
        - name: sessions
          type: lru_hash
          key_size: 16
          value_size: 32
          max_entries: 65536
          capture: scan
          scan_interval: 250ms
          lru_eviction: local
        - name: backends
          pinned: /sys/fs/bpf/lb/backends
      """;

  private static AgentConfig check(String yaml) {
    return ConfigChecker.check(ConfigLoader.parse("mapsync.yaml", yaml));
  }

  private static String error(String yaml) {
    return assertThrows(ConfigException.class, () -> check(yaml)).getMessage();
  }

  @Test
  void aCompleteFileIsReadWithItsDefaults() {
    AgentConfig c = check(GOOD);
    assertEquals("n1", c.id());
    assertEquals(AgentConfig.Backend.RATIS, c.store().backend());
    assertEquals(Duration.ofNanos(50_000), c.batching().linger());
    assertEquals(Duration.ofNanos(20_000), c.batching().captureSpin());
    assertEquals(Duration.ofSeconds(30), c.antiEntropyInterval());
    MapConfig sessions = c.maps().get(0);
    assertEquals(MapType.LRU_HASH, sessions.type());
    assertEquals(MapConfig.CaptureTier.SCAN, sessions.capture());
    assertEquals(MapConfig.LruEviction.LOCAL, sessions.lruEviction());
    assertEquals(Path.of("/sys/fs/bpf/mapsync/n1/sessions"), sessions.pin());
    assertEquals(MapConfig.CaptureTier.AUTO, c.maps().get(1).capture());
    assertEquals(Path.of("/sys/fs/bpf/lb/backends"), c.maps().get(1).pinned());
    assertEquals(Path.of("/sys/fs/bpf"), c.emitPinRoot());
  }

  @Test
  void theCaptureSpinIsABatchingSetting() {
    AgentConfig c = check(GOOD.replace("linger: 50us", "linger: 50us, capture_spin: 1ms"));
    assertEquals(Duration.ofMillis(1), c.batching().captureSpin());
    assertTrue(
        error(GOOD.replace("linger: 50us", "linger: 50us, capture_spin: often"))
            .contains("batching.capture_spin"));
  }

  @Test
  void anIdleTtlIsAMapSettingThatDefaultsToNever() {
    assertEquals(Duration.ZERO, check(GOOD).maps().get(0).idleTtl());
    AgentConfig c =
        check(GOOD.replace("lru_eviction: local", "lru_eviction: local\n    idle_ttl: 90s"));
    assertEquals(Duration.ofSeconds(90), c.maps().get(0).idleTtl());
    String msg =
        error(GOOD.replace("lru_eviction: local", "lru_eviction: local\n    idle_ttl: 0s"));
    assertTrue(msg.contains("maps[0].idle_ttl"), msg);
    msg =
        error(
            GOOD.replace("type: lru_hash", "type: array")
                .replace("key_size: 16", "key_size: 4")
                .replace("lru_eviction: local", "idle_ttl: 10s"));
    assertTrue(msg.contains("maps[0].idle_ttl") && msg.contains("array"), msg);
  }

  @Test
  void theEmitRingCanBePinnedElsewhere() {
    AgentConfig c = check(GOOD + "emit_pin_root: /sys/fs/bpf/lb1\n");
    assertEquals(Path.of("/sys/fs/bpf/lb1"), c.emitPinRoot());
  }

  @Test
  void anUnknownKeyIsNamedWithItsPathAndTheKnownKeys() {
    String msg = error(GOOD.replace("scan_interval: 250ms", "scan_intervall: 250ms"));
    assertTrue(msg.contains("maps[0].scan_intervall"), msg);
    assertTrue(msg.contains("scan_interval"), msg);
  }

  @Test
  void anErrorPointsAtTheLineOfTheKey() {
    String yaml = GOOD.replace("scan_interval: 250ms", "scan_intervall: 250ms");
    int line = lineNumberOf(yaml, "scan_intervall");
    assertTrue(error(yaml).contains("(line " + line + ")"), error(yaml));
    String nested = "id: n1\nbogus:\n  a: 1\n  b: 2\ndata_dir: /x\n";
    assertTrue(error(nested).contains("'bogus' (line 2)"), error(nested));
    String wrongType = GOOD.replace("key_size: 16", "key_size: sixteen");
    assertTrue(
        error(wrongType).contains("(line " + lineNumberOf(wrongType, "sixteen") + ")"),
        error(wrongType));
  }

  private static int lineNumberOf(String text, String needle) {
    String[] lines = text.split("\n", -1);
    for (int i = 0; i < lines.length; i++) {
      if (lines[i].contains(needle)) {
        return i + 1;
      }
    }
    throw new AssertionError(needle + " not in the text");
  }

  @Test
  void aWrongTypeIsNamed() {
    String msg = error(GOOD.replace("key_size: 16", "key_size: sixteen"));
    assertTrue(msg.contains("maps[0].key_size"), msg);
  }

  @Test
  void badValuesAreNamed() {
    assertTrue(error(GOOD.replace("type: lru_hash", "type: ringbuf")).contains("maps[0].type"));
    assertTrue(error(GOOD.replace("linger: 50us", "linger: soon")).contains("batching.linger"));
    assertTrue(error(GOOD.replace("capture: scan", "capture: magic")).contains("maps[0].capture"));
    assertTrue(error(GOOD.replace("127.0.0.1:7002", "127.0.0.1")).contains("peers.n2"));
    assertTrue(
        error(GOOD.replace("max_entries: 65536", "max_entries: 0"))
            .contains("maps[0].max_entries"));
    assertTrue(error(GOOD.replace("id: n1", "id: n9")).contains("not among the peers"));
    assertTrue(error(GOOD.replace("    max_entries: 65536\n", "")).contains("maps[0]"));
    assertTrue(error(GOOD.replace("name: backends", "name: sessions")).contains("listed twice"));
    String broken = error("id: [");
    assertTrue(broken.contains("not valid YAML") || broken.contains("line 1"), broken);
    assertTrue(error(GOOD + "store: {backend: etcd}\n").contains("store.etcd_endpoints"));
  }

  @Test
  void aMissingFileIsNamed(@TempDir Path dir) {
    Path missing = dir.resolve("nope.yaml");
    String msg = assertThrows(ConfigException.class, () -> ConfigLoader.load(missing)).getMessage();
    assertTrue(msg.contains(missing.toString()) && msg.contains("does not exist"), msg);
  }

  @Test
  void aFileOnDiskLoads(@TempDir Path dir) throws Exception {
    Path file = Files.writeString(dir.resolve("mapsync.yaml"), GOOD);
    assertEquals(2, ConfigLoader.load(file).maps().size());
  }
}
