package io.mapsync.raft.ratis;

import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.apache.ratis.RaftConfigKeys;
import org.apache.ratis.client.RaftClientConfigKeys;
import org.apache.ratis.conf.RaftProperties;
import org.apache.ratis.grpc.GrpcConfigKeys;
import org.apache.ratis.netty.NettyConfigKeys;
import org.apache.ratis.rpc.SupportedRpcType;
import org.apache.ratis.server.RaftServerConfigKeys;
import org.apache.ratis.server.RaftServerConfigKeys.Log;
import org.apache.ratis.server.RaftServerConfigKeys.Snapshot;
import org.apache.ratis.util.SizeInBytes;
import org.apache.ratis.util.TimeDuration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Every setting the embedded backend uses, in one place: the Ratis settings mapsync changes (each
 * with the reason), mapsync's own typed keys, and the overrides from {@link
 * RatisConfig#settings()}. An override of an unknown key is refused, so a typo cannot silently
 * leave a default in place.
 */
public final class RatisSettings {
  private static final Logger LOG = LoggerFactory.getLogger(RatisSettings.class);

  /** A Ratis setting mapsync changes from the Ratis default, and why. */
  public record RatisDefault(String key, String value, String why) {}

  /** A mapsync setting: its key, default, parser and meaning. */
  public record Key<T>(String key, T defaultValue, Function<String, T> parser, String meaning) {
    /** The value in these settings, or the default. */
    public T get(Map<String, String> settings) {
      String raw = settings.get(key);
      try {
        return raw == null ? defaultValue : parser.apply(raw.trim());
      } catch (RuntimeException e) {
        throw new IllegalArgumentException(
            "bad value '" + raw + "' for " + key + " (" + meaning + ")", e);
      }
    }
  }

  public static final Key<Boolean> COMMIT_PUSH =
      new Key<>(
          "mapsync.commit-push.enabled",
          true,
          Boolean::parseBoolean,
          "gRPC only: the leader sends idle followers the new commit index right after each commit. Without it a"
              + " follower learns of a commit with the next append or heartbeat (rpc.timeout.min / 2 = 200 ms), so at"
              + " light load or after a burst a replicated change reaches the other hosts' maps up to 200 ms late"
              + " (see docs/benchmarks.md)");
  public static final Key<Long> HISTORY_BYTES =
      new Key<>(
          "mapsync.history.bytes",
          64L << 20,
          s -> SizeInBytes.valueOf(s).getSize(),
          "recent history each replica keeps for watches and past reads");
  public static final Key<Duration> REQUEST_TIMEOUT =
      new Key<>(
          "mapsync.request.timeout",
          Duration.ofSeconds(30),
          RatisSettings::duration,
          "how long a store operation retries (leader changes, lost connections) before it fails");
  public static final Key<Duration> STATUS_TIMEOUT =
      new Key<>(
          "mapsync.status.timeout",
          Duration.ofSeconds(2),
          RatisSettings::duration,
          "how long status() waits for each member to answer");
  static final List<Key<?>> KEYS =
      List.of(COMMIT_PUSH, HISTORY_BYTES, REQUEST_TIMEOUT, STATUS_TIMEOUT);

  /**
   * The Ratis defaults mapsync changes; RATIS-TUNING.md has the measurements behind the first four.
   */
  public static final List<RatisDefault> RATIS_DEFAULTS =
      List.of(
          new RatisDefault(
              RaftServerConfigKeys.Read.OPTION_KEY,
              "LINEARIZABLE",
              "the store promises linearizable reads; Ratis's DEFAULT option answers from the leader without a leadership"
                  + " check"),
          new RatisDefault(
              RaftServerConfigKeys.Rpc.TIMEOUT_MIN_KEY,
              "400ms",
              "election timeout: Ratis's 150-300 ms made a GC pause or a busy CPU (agents share hosts with the"
                  + " datapath) start elections; a leader that really fails is still replaced in under a second"),
          new RatisDefault(
              RaftServerConfigKeys.Rpc.TIMEOUT_MAX_KEY, "800ms", "see raft.server.rpc.timeout.min"),
          new RatisDefault(
              Log.LOG_METADATA_ENABLED_KEY,
              "false",
              "a metadata entry per commit costs an extra fsync; a restarted member learns the commit index from the leader"),
          new RatisDefault(
              Log.Appender.WAIT_TIME_MIN_KEY,
              "100us",
              "the 1 ms default delays every append; 0 sends one RPC per entry and collapses throughput"),
          new RatisDefault(
              Log.APPEND_ENTRIES_COMPOSE_ENABLED_KEY,
              "false",
              "composing appends costs up to 3x CPU per write"),
          new RatisDefault(
              Log.UNSAFE_FLUSH_ENABLED_KEY,
              "false",
              "fsync stays on: an acknowledged write is on disk"),
          new RatisDefault(
              Log.ASYNC_FLUSH_ENABLED_KEY,
              "false",
              "fsync stays on: an acknowledged write is on disk"),
          new RatisDefault(
              Log.CORRUPTION_POLICY_KEY,
              "EXCEPTION",
              "a damaged log stops the member; it is never truncated"),
          new RatisDefault(
              Snapshot.AUTO_TRIGGER_ENABLED_KEY,
              "true",
              "snapshot by log size so the log can be purged"),
          new RatisDefault(
              Snapshot.AUTO_TRIGGER_THRESHOLD_KEY,
              "50000",
              "entries between snapshots: bounds the log to replay on restart (a snapshot costs one pass over the state)"),
          new RatisDefault(
              Snapshot.RETENTION_FILE_NUM_KEY,
              "2",
              "keep the newest two snapshots, delete older ones"),
          new RatisDefault(
              Log.PURGE_UPTO_SNAPSHOT_INDEX_KEY,
              "true",
              "a member that is down must not keep the log growing; it catches up from a snapshot"),
          new RatisDefault(
              Log.PURGE_PRESERVATION_LOG_NUM_KEY,
              "8192",
              "keep a log tail behind each snapshot so a briefly absent follower catches up from the log"),
          new RatisDefault(
              Log.Appender.RETRY_POLICY_KEY,
              "1ms,10, 100ms,100, 1s,1000",
              "the leader retries a member that is down every 100 ms (not every 1-5 s), so a restarted member catches"
                  + " up within a fraction of a second"),
          new RatisDefault(
              RaftClientConfigKeys.Async.OUTSTANDING_REQUESTS_MAX_KEY,
              "4096",
              "proposals in flight per member before propose() blocks its caller"));

  private RatisSettings() {}

  /**
   * The Ratis properties for a member: mapsync's defaults, the config's overrides, its ports and
   * dirs.
   */
  static RaftProperties ratisProperties(RatisConfig config, DataDir dir) {
    checkKeys(config.settings());
    Map<String, String> effective = new LinkedHashMap<>();
    RATIS_DEFAULTS.forEach(d -> effective.put(d.key(), d.value()));
    config
        .settings()
        .forEach(
            (k, v) -> {
              if (k.startsWith("raft.")) {
                effective.put(k, v);
              }
            });
    RaftProperties props = new RaftProperties();
    effective.forEach(props::set);
    RaftServerConfigKeys.setStorageDir(props, List.of(dir.ratisDir().toFile()));
    RaftServerConfigKeys.setRemovedGroupsDir(props, dir.removedGroupsDir().toFile());
    int port = RatisConfig.port(config.address());
    String host = RatisConfig.host(config.address());
    if (config.transport() == Transport.GRPC) {
      RaftConfigKeys.Rpc.setType(
          props,
          COMMIT_PUSH.get(config.settings()) ? new CommitPushingRpcType() : SupportedRpcType.GRPC);
      GrpcConfigKeys.Server.setHost(props, host);
      GrpcConfigKeys.Server.setPort(props, port);
    } else {
      RaftConfigKeys.Rpc.setType(props, SupportedRpcType.NETTY);
      NettyConfigKeys.Server.setHost(props, host);
      NettyConfigKeys.Server.setPort(props, port);
    }
    return props;
  }

  /** Logs the effective settings once, at start. */
  static void log(RatisConfig config) {
    List<String> lines = new ArrayList<>();
    RATIS_DEFAULTS.forEach(
        d -> lines.add(d.key() + "=" + config.settings().getOrDefault(d.key(), d.value())));
    config
        .settings()
        .forEach(
            (k, v) -> {
              if (RATIS_DEFAULTS.stream().noneMatch(d -> d.key().equals(k))) {
                lines.add(k + "=" + v + " (override)");
              }
            });
    KEYS.forEach(k -> lines.add(k.key() + "=" + k.get(config.settings())));
    LOG.info("{}: transport {}, settings {}", config.nodeId(), config.transport(), lines);
  }

  /** Refuses keys that neither Ratis nor mapsync knows. */
  static void checkKeys(Map<String, String> settings) {
    Set<String> ratisKeys = KnownRatisKeys.ALL;
    for (String k : settings.keySet()) {
      boolean known =
          k.startsWith("mapsync.")
              ? KEYS.stream().anyMatch(key -> key.key().equals(k))
              : ratisKeys.contains(k);
      if (!known) {
        throw new IllegalArgumentException(
            "unknown setting '"
                + k
                + "': use a Ratis key (raft.*, see the Ratis"
                + " *ConfigKeys) or one of "
                + KEYS.stream().map(Key::key).toList());
      }
    }
    KEYS.forEach(key -> key.get(settings));
  }

  static Duration duration(String s) {
    return Duration.ofNanos(
        TimeDuration.valueOf(s, TimeUnit.MILLISECONDS).toLong(TimeUnit.NANOSECONDS));
  }

  /**
   * The keys Ratis declares (every *_KEY constant of its ConfigKeys interfaces), collected once.
   */
  private static final class KnownRatisKeys {
    static final Set<String> ALL =
        collect(
            RaftServerConfigKeys.class,
            RaftClientConfigKeys.class,
            RaftConfigKeys.class,
            GrpcConfigKeys.class,
            NettyConfigKeys.class);

    private static Set<String> collect(Class<?>... roots) {
      Set<String> keys = new TreeSet<>();
      for (Class<?> root : roots) {
        collectInto(root, keys);
      }
      return Set.copyOf(keys);
    }

    private static void collectInto(Class<?> type, Set<String> keys) {
      for (Field f : type.getFields()) {
        if (Modifier.isStatic(f.getModifiers())
            && f.getType() == String.class
            && f.getName().endsWith("_KEY")) {
          try {
            keys.add((String) f.get(null));
          } catch (IllegalAccessException e) {
            throw new IllegalStateException(e);
          }
        }
      }
      for (Class<?> nested : type.getClasses()) {
        collectInto(nested, keys);
      }
    }
  }
}
