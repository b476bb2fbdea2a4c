package io.mapsync.raft.ratis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.apache.ratis.RaftConfigKeys;
import org.apache.ratis.conf.RaftProperties;
import org.apache.ratis.server.RaftServerConfigKeys;
import org.apache.ratis.util.TimeDuration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** mapsync's Ratis defaults, overrides, refused typos, and config validation. */
class RatisSettingsTest {
  @TempDir Path dir;

  private RaftProperties props(RatisConfig c) throws Exception {
    return RatisSettings.ratisProperties(
        c, DataDir.open(c.dataDir(), c.clusterName(), "g", c.nodeId()));
  }

  private RatisConfig.Builder base() {
    return RatisConfig.builder("n1")
        .peer("n1", "127.0.0.1:7001")
        .peer("n2", "127.0.0.1:7002")
        .dataDir(dir);
  }

  @Test
  void theTunedDefaultsApplyAndOverridesWin() throws Exception {
    RaftProperties p =
        props(base().set("raft.server.snapshot.auto.trigger.threshold", "77").build());
    assertEquals(
        RaftServerConfigKeys.Read.Option.LINEARIZABLE, RaftServerConfigKeys.Read.option(p));
    assertEquals(false, RaftServerConfigKeys.Log.logMetadataEnabled(p));
    assertEquals(false, RaftServerConfigKeys.Log.appendEntriesComposeEnabled(p));
    assertEquals(
        TimeDuration.valueOf(100, java.util.concurrent.TimeUnit.MICROSECONDS),
        RaftServerConfigKeys.Log.Appender.waitTimeMin(p));
    assertEquals(77, RaftServerConfigKeys.Snapshot.autoTriggerThreshold(p));
    assertEquals(dir.resolve("ratis").toFile(), RaftServerConfigKeys.storageDir(p).get(0));
    assertEquals(CommitPushingRpcType.class.getName(), RaftConfigKeys.Rpc.type(p, s -> {}).name());
  }

  @Test
  void nettyAndCommitPushAreSwitches() throws Exception {
    assertEquals(
        "NETTY",
        RaftConfigKeys.Rpc.type(props(base().transport(Transport.NETTY).build()), s -> {}).name());
    assertEquals(
        "GRPC",
        RaftConfigKeys.Rpc.type(
                props(base().set("mapsync.commit-push.enabled", "false").build()), s -> {})
            .name());
    assertEquals(
        Duration.ofMillis(1500),
        RatisSettings.REQUEST_TIMEOUT.get(Map.of("mapsync.request.timeout", "1500ms")));
  }

  @Test
  void unknownKeysAndBadValuesAreRefused() {
    IllegalArgumentException typo =
        assertThrows(
            IllegalArgumentException.class,
            () -> props(base().set("raft.server.log.appender.waittime.min", "1ms").build()));
    assertTrue(
        typo.getMessage().contains("unknown setting 'raft.server.log.appender.waittime.min'"),
        typo.getMessage());
    IllegalArgumentException ours =
        assertThrows(
            IllegalArgumentException.class,
            () -> props(base().set("mapsync.history.bytes", "lots").build()));
    assertTrue(ours.getMessage().contains("mapsync.history.bytes"), ours.getMessage());
  }

  @Test
  void configsThatCannotWorkAreRefused() {
    assertThrows(
        IllegalArgumentException.class,
        () -> RatisConfig.builder("n3").peer("n1", "127.0.0.1:1").dataDir(dir).build(),
        "not in peers and not joining");
    assertThrows(
        IllegalArgumentException.class,
        () -> RatisConfig.builder("n1").peer("n1", "localhost").dataDir(dir).build(),
        "no port");
    assertThrows(
        IllegalArgumentException.class,
        () ->
            RatisConfig.builder("n1").peer("n1", "127.0.0.1:1").listener("n1").dataDir(dir).build(),
        "no voter");
    assertThrows(
        IllegalArgumentException.class,
        () -> RatisConfig.builder("n4").join(true).address("127.0.0.1:1").dataDir(dir).build(),
        "joining with nobody to contact");
    assertEquals(
        "127.0.0.1:9",
        RatisConfig.builder("n4")
            .join(true)
            .address("127.0.0.1:9")
            .peer("n1", "127.0.0.1:1")
            .dataDir(dir)
            .build()
            .address());
  }
}
