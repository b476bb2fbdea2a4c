package io.mapsync.agent.config;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.function.BiFunction;

/**
 * Every key of mapsync.yaml in one place: its name, type, default and meaning. The checker takes
 * defaults and parsers from here, and docs/configuration.md's tables are these rows (a test fails
 * when they differ), so a setting is named and its default typed once.
 */
public final class AgentSettings {
  private AgentSettings() {}

  /**
   * One key.
   *
   * @param key its path in the YAML file (`batching.linger`, or `scan_interval` inside `maps[]`)
   * @param type how it is written, as the docs show it
   * @param shownDefault the default as the docs show it (`required`, `none`, a value)
   * @param defaultValue the default the checker uses, or null where there is none
   * @param parser turns the written text into the value, naming the field in a ConfigException;
   *     null where the YAML reader binds the value itself (a number, a bool, a list, a map)
   * @param meaning what it does, as the docs say it
   */
  public record Key<T>(
      String key,
      String type,
      String shownDefault,
      T defaultValue,
      BiFunction<String, String, T> parser,
      String meaning) {

    /** The written value parsed, or the default when it is absent; errors name {@code field}. */
    public T valueOr(String field, String written) {
      if (written == null) {
        return defaultValue;
      }
      return parser.apply(field, written);
    }

    /** The same, naming the field by this key. */
    public T valueOr(String written) {
      return valueOr(key, written);
    }

    /** This key's row of the docs' table. */
    String markdownRow() {
      return "| `" + key + "` | " + type + " | " + shownDefault + " | " + meaning + " |";
    }
  }

  private static <T> Key<T> structured(String key, String type, String shown, String meaning) {
    return new Key<>(key, type, shown, null, null, meaning);
  }

  private static Key<Duration> duration(String key, Duration value, String shown, String meaning) {
    return new Key<>(key, "duration", "`" + shown + "`", value, Durations::parse, meaning);
  }

  private static Key<Path> path(String key, Path value, String shown, String meaning) {
    return new Key<>(key, "path", shown, value, (field, text) -> Path.of(text), meaning);
  }

  public static final Key<String> CLUSTER_NAME =
      new Key<>(
          "cluster_name",
          "string",
          "`mapsync`",
          "mapsync",
          (field, text) -> text,
          "names the cluster (Raft group, etcd cluster id); members must agree");
  public static final Key<String> ID =
      structured(
          "id",
          "string",
          "required",
          "this node's name; also its Raft peer id. 1-64 of `A-Za-z0-9_.-`");
  public static final Key<Path> DATA_DIR =
      structured(
          "data_dir",
          "path",
          "required",
          "Raft log, snapshots, and a marker file naming the cluster and node; a directory of another"
              + " cluster or node is refused");
  public static final Key<Object> PEERS =
      structured(
          "peers",
          "map id → host:port",
          "required (embedded store)",
          "the voters' Raft addresses, this node included unless `join`");
  public static final Key<Object> LISTENERS =
      structured("listeners", "list of ids", "`[]`", "members that receive the log but never vote");

  /** Bound as a boolean by the YAML reader. */
  public static final Key<Boolean> JOIN =
      new Key<>(
          "join",
          "bool",
          "`false`",
          false,
          null,
          "start outside the group and wait to be added (`mapsync members add`)");

  public static final Key<Object> CLIENT_ADDRESS =
      structured(
          "client_address",
          "host:port",
          "none",
          "serve the etcd v3 API here (embedded store only); recorded in the store at"
              + " `/mapsync/members/<id>` so every member lists it, so give the address other hosts"
              + " reach (not `0.0.0.0`)");
  public static final Key<Object> METRICS_ADDRESS =
      structured("metrics_address", "host:port", "none", "serve Prometheus `/metrics` here");
  public static final Key<Path> EMIT_PIN_ROOT =
      path(
          "emit_pin_root",
          AgentConfig.DEFAULT_EMIT_PIN_ROOT,
          "`" + AgentConfig.DEFAULT_EMIT_PIN_ROOT + "`",
          "where network functions built with `mapsync_emit.h` pin `mapsync_ring` and"
              + " `mapsync_state` (maps with `capture: emit`)");
  public static final Key<Path> PIN_DIR =
      structured(
          "pin_dir",
          "path",
          "`/sys/fs/bpf/mapsync/<id>`",
          "where maps the agent creates are pinned");
  public static final Key<Duration> ANTI_ENTROPY_INTERVAL =
      duration(
          "anti_entropy_interval",
          Duration.ofSeconds(30),
          "30s",
          "how often local maps are compared with the store (`0s`: never); see consistency.md");

  /** Bound as a number by the YAML reader; ConfigChecker checks it is positive. */
  public static final Key<Integer> BATCHING_MAX_DELTAS =
      new Key<>("batching.max_deltas", "int", "`4096`", 4096, null, "most deltas per log entry");

  public static final Key<Duration> BATCHING_LINGER =
      duration(
          "batching.linger",
          Duration.ofNanos(100_000),
          "100us",
          "how long the first change of a batch waits for company; only while changes arrive closer"
              + " together than this (moving average of the gaps), so a low rate never waits");
  public static final Key<Duration> BATCHING_CAPTURE_SPIN =
      duration(
          "batching.capture_spin",
          AgentConfig.Batching.DEFAULT_CAPTURE_SPIN,
          "20us",
          "how long the capture thread keeps polling the rings after a change before it sleeps;"
              + " longer saves a wake-up per change on hosts with cores to spare, but burns CPU the"
              + " Raft threads need on small ones");
  public static final Key<Object> STORE_BACKEND =
      structured(
          "store.backend",
          "`ratis` \\| `etcd`",
          "`ratis`",
          "the embedded store, or an external etcd cluster");
  public static final Key<Object> STORE_ETCD_ENDPOINTS =
      structured(
          "store.etcd_endpoints",
          "list of URLs",
          "required for etcd",
          "e.g. `[http://10.0.0.9:2379]`");
  public static final Key<String> STORE_ETCD_PREFIX =
      new Key<>(
          "store.etcd_prefix",
          "string",
          "`\"\"`",
          "",
          (field, text) -> text,
          "isolates this cluster's keys in a shared etcd, e.g. `/clusters/lb`");
  public static final Key<Object> STORE_RAFT_PROPERTIES =
      structured(
          "store.raft_properties",
          "map",
          "`{}`",
          "Ratis (`raft.*`) and backend (`mapsync.*`) settings, see ratis.md");
  public static final Key<Object> STORE_GROUP_NAME =
      structured(
          "name",
          "string",
          "— (one group)",
          "a further Raft group on the same members (multi-raft, embedded store only); maps name it"
              + " in `group:`. `default` is the group every member starts with and is not listed;"
              + " see scale.md");
  public static final Key<Object> STORE_GROUP_MEMBERS =
      structured(
          "members",
          "list of ids",
          "every voter",
          "the group's voters, a subset of the peers' voters; every other peer follows the group as"
              + " a listener, so every agent holds every group's maps");
  public static final Key<Path> TLS_CA =
      structured(
          "tls.ca",
          "path",
          "none (plain text)",
          "PEM CA that signs every member's and client's certificate; with `tls:` set, Raft peers,"
              + " the etcd v3 API and the etcd backend's client all require mutual TLS");
  public static final Key<Path> TLS_CERT =
      structured(
          "tls.cert",
          "path",
          "required with `tls:`",
          "this member's PEM certificate (server and client use)");
  public static final Key<Path> TLS_KEY =
      structured(
          "tls.key",
          "path",
          "required with `tls:`",
          "its PEM private key; a key that does not match the certificate stops the agent at start,"
              + " naming the file");
  public static final Key<Duration> TLS_RELOAD_INTERVAL =
      duration(
          "tls.reload_interval",
          io.mapsync.tls.TlsIdentity.DEFAULT_RELOAD_INTERVAL,
          "5s",
          "how often the three files are checked for change; new handshakes use the new files, a bad"
              + " file at reload keeps the old ones (one WARN line)");
  public static final Key<Object> TLS_READ_ONLY_CLIENTS =
      structured(
          "tls.read_only_clients",
          "list of names",
          "`[]`",
          "client certificate common names (CN) the etcd v3 API lets range and watch but not write:"
              + " their put, delete, writing txn, compact, lease grant/revoke and member add/remove get"
              + " etcd's `permission denied` (see [security.md](security.md))");

  public static final Key<String> MAP_NAME =
      structured("name", "string", "required", "the map's name in the log, the same on every host");
  public static final Key<Path> MAP_PINNED =
      structured("pinned", "path", "—", "an existing pinned map");
  public static final Key<Object> MAP_TYPE =
      structured(
          "type",
          "`hash` `lru_hash` `array` `percpu_hash` `percpu_array` `lru_percpu_hash`",
          "—",
          "other map types are refused");
  public static final Key<Integer> MAP_KEY_SIZE =
      structured("key_size", "int", "—", "bytes of a key");
  public static final Key<Integer> MAP_VALUE_SIZE =
      structured("value_size", "int", "—", "bytes of a value: one CPU's value for per-CPU maps");
  public static final Key<Integer> MAP_MAX_ENTRIES =
      structured("max_entries", "int", "—", "the map's capacity");
  public static final Key<Path> MAP_PIN =
      structured("pin", "path", "`<pin_dir>/<name>`", "where a created map is pinned");
  public static final Key<Object> MAP_CAPTURE =
      structured(
          "capture",
          "`auto` `syscall` `scan` `fentry` `emit`",
          "`auto`",
          "auto = syscall plus fentry where the kernel permits tracing programs, else syscall plus"
              + " scan");
  public static final Key<Duration> MAP_SCAN_INTERVAL =
      duration("scan_interval", Duration.ofSeconds(1), "1s", "period of the scan tier");
  public static final Key<Object> MAP_LRU_EVICTION =
      structured(
          "lru_eviction",
          "`replicate` \\| `local`",
          "`replicate`",
          "whether a delete seen only by a scan of an LRU map (an eviction) is replicated");
  public static final Key<Duration> MAP_IDLE_TTL =
      new Key<>(
          "idle_ttl",
          "duration",
          "— (never)",
          Duration.ZERO,
          Durations::parse,
          "hash maps: an entry not written for this long leaves the store and every host's map, as a"
              + " delete the log orders. The clock is the capture times in the log (a write captured at"
              + " T expires entries last written before T − idle_ttl), so hosts' clocks must agree to"
              + " well within it, and a map that receives no writes does not age. Part of the map's"
              + " spec: every host must give the same value. Embedded store only: with `backend: etcd`"
              + " the setting is kept in the spec but nothing expires (docs/scale.md)");

  public static final Key<Object> MAP_GROUP =
      structured(
          "group",
          "string",
          "`default`",
          "the Raft group whose log carries this map: one of `store.groups[].name`; a group that"
              + " lost its quorum stalls only its own maps");

  /** The keys of one entry of {@code maps[]}, in the order the docs list them. */
  public static final List<Key<?>> MAP_KEYS =
      List.of(
          MAP_NAME,
          MAP_PINNED,
          MAP_TYPE,
          MAP_KEY_SIZE,
          MAP_VALUE_SIZE,
          MAP_MAX_ENTRIES,
          MAP_PIN,
          MAP_CAPTURE,
          MAP_SCAN_INTERVAL,
          MAP_LRU_EVICTION,
          MAP_IDLE_TTL,
          MAP_GROUP);

  /** The top-level keys, in the order the docs list them. */
  public static final List<Key<?>> TOP_LEVEL =
      List.of(
          CLUSTER_NAME,
          ID,
          DATA_DIR,
          PEERS,
          LISTENERS,
          JOIN,
          CLIENT_ADDRESS,
          METRICS_ADDRESS,
          EMIT_PIN_ROOT,
          PIN_DIR,
          ANTI_ENTROPY_INTERVAL,
          BATCHING_MAX_DELTAS,
          BATCHING_LINGER,
          BATCHING_CAPTURE_SPIN,
          STORE_BACKEND,
          STORE_ETCD_ENDPOINTS,
          STORE_ETCD_PREFIX,
          STORE_RAFT_PROPERTIES,
          TLS_CA,
          TLS_CERT,
          TLS_KEY,
          TLS_RELOAD_INTERVAL,
          TLS_READ_ONLY_CLIENTS);

  /** The docs' table of the top-level keys (header included), as docs/configuration.md shows it. */
  public static String topLevelTable() {
    return table(TOP_LEVEL);
  }

  /** The keys of one entry of {@code store.groups[]}, in the order the docs list them. */
  public static final List<Key<?>> GROUP_KEYS = List.of(STORE_GROUP_NAME, STORE_GROUP_MEMBERS);

  /** The docs' table of a {@code store.groups[]} entry's keys. */
  public static String groupTable() {
    return table(GROUP_KEYS);
  }

  /** The docs' table of a {@code maps[]} entry's keys. */
  public static String mapTable() {
    return table(MAP_KEYS);
  }

  static String table(List<Key<?>> keys) {
    StringBuilder out =
        new StringBuilder("| key | type | default | meaning |\n|---|---|---|---|\n");
    for (Key<?> k : keys) {
      out.append(k.markdownRow()).append('\n');
    }
    return out.toString();
  }
}
