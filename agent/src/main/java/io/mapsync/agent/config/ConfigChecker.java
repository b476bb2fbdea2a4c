package io.mapsync.agent.config;

import io.mapsync.store.state.KeyLayout;
import io.mapsync.wire.MapType;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Turns a parsed file into an {@link AgentConfig}, refusing anything inconsistent. */
final class ConfigChecker {
  private ConfigChecker() {}

  static AgentConfig check(ConfigFile f) {
    String id = required("id", f.id());
    if (!KeyLayout.validMapName(id)) {
      throw new ConfigException("id: '" + id + "' must be 1-64 letters, digits, '_', '.' or '-'");
    }
    Path dataDir = Path.of(required("data_dir", f.dataDir()));
    AgentConfig.Backend backend =
        ConfigLoader.backend(f.store() == null ? null : f.store().backend());
    Map<String, String> peers = new LinkedHashMap<>(f.peers() == null ? Map.of() : f.peers());
    peers.forEach((name, address) -> HostPort.check("peers." + name, address));
    List<String> listeners = f.listeners() == null ? List.of() : List.copyOf(f.listeners());
    boolean join = f.join() != null ? f.join() : AgentSettings.JOIN.defaultValue();
    if (backend == AgentConfig.Backend.RATIS) {
      if (peers.isEmpty()) {
        throw new ConfigException(
            "peers: the embedded store needs the voters, e.g. peers: {n1: 127.0.0.1:7001, ...}");
      }
      if (!peers.containsKey(id) && !join) {
        throw new ConfigException(
            "peers: this node '"
                + id
                + "' is not among the peers "
                + peers.keySet()
                + "; add it, or set join: true to be added later with 'mapsync members add'");
      }
    }
    AgentConfig.StoreConfig store = storeConfig(backend, f.store(), peers, listeners);
    String client = optionalAddress("client_address", f.clientAddress());
    String metrics = optionalAddress("metrics_address", f.metricsAddress());
    AgentConfig.Batching batching =
        new AgentConfig.Batching(
            f.batching() == null || f.batching().maxDeltas() == null
                ? AgentSettings.BATCHING_MAX_DELTAS.defaultValue()
                : positive(AgentSettings.BATCHING_MAX_DELTAS.key(), f.batching().maxDeltas()),
            AgentSettings.BATCHING_LINGER.valueOr(
                f.batching() == null ? null : f.batching().linger()),
            AgentSettings.BATCHING_CAPTURE_SPIN.valueOr(
                f.batching() == null ? null : f.batching().captureSpin()));
    Duration antiEntropy = AgentSettings.ANTI_ENTROPY_INTERVAL.valueOr(f.antiEntropyInterval());
    String cluster = AgentSettings.CLUSTER_NAME.valueOr(f.clusterName());
    if (!KeyLayout.validMapName(cluster)) {
      throw new ConfigException(
          "cluster_name: '" + cluster + "' must be 1-64 letters, digits, '_', '.' or '-'");
    }
    Path emitPinRoot = AgentSettings.EMIT_PIN_ROOT.valueOr(f.emitPinRoot());
    return new AgentConfig(
        cluster,
        id,
        dataDir,
        peers,
        listeners,
        join,
        client,
        metrics,
        store,
        batching,
        antiEntropy,
        maps(
            id,
            f.pinDir() == null ? Path.of("/sys/fs/bpf/mapsync", id) : Path.of(f.pinDir()),
            f.maps(),
            groupNames(store)),
        emitPinRoot,
        tls(f.tls()));
  }

  /**
   * Paths only: the files are read and checked when the agent starts (AgentTls), so a bad one stops
   * it there.
   */
  private static AgentConfig.Tls tls(ConfigFile.Tls t) {
    if (t == null) {
      return null;
    }
    Path ca = Path.of(required("tls.ca", t.ca()));
    Path cert = Path.of(required("tls.cert", t.cert()));
    Path key = Path.of(required("tls.key", t.key()));
    Duration reload = AgentSettings.TLS_RELOAD_INTERVAL.valueOr(t.reloadInterval());
    java.util.Set<String> readOnly = new java.util.TreeSet<>();
    for (String cn : t.readOnlyClients() == null ? List.<String>of() : t.readOnlyClients()) {
      if (cn == null || cn.isBlank()) {
        throw new ConfigException(
            "tls.read_only_clients: an entry is empty; list client certificate common names, "
                + "e.g. [reader]");
      }
      readOnly.add(cn.strip());
    }
    return new AgentConfig.Tls(new io.mapsync.tls.TlsFiles(ca, cert, key), reload, readOnly);
  }

  private static AgentConfig.StoreConfig storeConfig(
      AgentConfig.Backend backend,
      ConfigFile.Store s,
      Map<String, String> peers,
      List<String> listeners) {
    List<String> endpoints =
        s == null || s.etcdEndpoints() == null ? List.of() : List.copyOf(s.etcdEndpoints());
    if (backend == AgentConfig.Backend.ETCD && endpoints.isEmpty()) {
      throw new ConfigException(
          "store.etcd_endpoints: the etcd backend needs the etcd cluster's client URLs, "
              + "e.g. [http://10.0.0.1:2379]");
    }
    String prefix = AgentSettings.STORE_ETCD_PREFIX.valueOr(s == null ? null : s.etcdPrefix());
    Map<String, String> raft =
        s == null || s.raftProperties() == null ? Map.of() : Map.copyOf(s.raftProperties());
    return new AgentConfig.StoreConfig(
        backend,
        endpoints,
        prefix,
        raft,
        groups(backend, s == null ? null : s.groups(), peers, listeners));
  }

  /** The further Raft groups; members default to every voter. */
  private static List<AgentConfig.Group> groups(
      AgentConfig.Backend backend,
      List<ConfigFile.Group> entries,
      Map<String, String> peers,
      List<String> listeners) {
    if (entries == null || entries.isEmpty()) {
      return List.of();
    }
    if (backend != AgentConfig.Backend.RATIS) {
      throw new ConfigException(
          "store.groups: several Raft groups need the embedded store (backend: ratis); an etcd"
              + " cluster is one log, remove store.groups or the group: of every map");
    }
    List<String> voters =
        peers.keySet().stream().filter(p -> !listeners.contains(p)).sorted().toList();
    List<AgentConfig.Group> out = new ArrayList<>();
    Set<String> names = new HashSet<>();
    for (int i = 0; i < entries.size(); i++) {
      ConfigFile.Group g = entries.get(i);
      String at = "store.groups[" + i + "]";
      String name = required(at + ".name", g == null ? null : g.name());
      if (!KeyLayout.validMapName(name)) {
        throw new ConfigException(
            at + ".name: '" + name + "' must be 1-64 letters, digits, '_', '.' or '-'");
      }
      if (name.equals(MapConfig.DEFAULT_GROUP)) {
        throw new ConfigException(
            at
                + ".name: '"
                + name
                + "' is the group of every map without group: and every voter; it is not listed");
      }
      if (!names.add(name)) {
        throw new ConfigException(at + ".name: group '" + name + "' is listed twice");
      }
      List<String> members = g.members() == null ? voters : List.copyOf(g.members());
      if (members.isEmpty()) {
        throw new ConfigException(
            at + ".members: group '" + name + "' needs at least one voter (leave it out: all)");
      }
      for (String m : members) {
        if (!voters.contains(m)) {
          throw new ConfigException(
              at
                  + ".members: '"
                  + m
                  + "' is not one of the voters "
                  + voters
                  + (listeners.contains(m) ? " (it is a listener)" : ""));
        }
      }
      if (members.stream().distinct().count() != members.size()) {
        throw new ConfigException(at + ".members: a member is listed twice: " + members);
      }
      out.add(new AgentConfig.Group(name, members));
    }
    return out;
  }

  private static Set<String> groupNames(AgentConfig.StoreConfig store) {
    Set<String> names = new HashSet<>();
    names.add(MapConfig.DEFAULT_GROUP);
    store.groups().forEach(g -> names.add(g.name()));
    return names;
  }

  private static List<MapConfig> maps(
      String id, Path pinDir, List<ConfigFile.MapEntry> entries, Set<String> groups) {
    if (entries == null || entries.isEmpty()) {
      return List.of();
    }
    List<MapConfig> out = new ArrayList<>();
    Set<String> names = new HashSet<>();
    for (int i = 0; i < entries.size(); i++) {
      ConfigFile.MapEntry e = entries.get(i);
      String at = "maps[" + i + "]";
      String name = required(at + ".name", e.name());
      if (!KeyLayout.validMapName(name)) {
        throw new ConfigException(
            at + ".name: '" + name + "' must be 1-64 letters, digits, '_', '.' or '-'");
      }
      if (!names.add(name)) {
        throw new ConfigException(at + ".name: map '" + name + "' is listed twice");
      }
      Path pinned = e.pinned() == null ? null : Path.of(e.pinned());
      MapType type = e.type() == null ? null : mapType(at + ".type", e.type());
      if (pinned == null) {
        if (type == null
            || e.keySize() == null
            || e.valueSize() == null
            || e.maxEntries() == null) {
          throw new ConfigException(
              at
                  + ": map '"
                  + name
                  + "' needs either 'pinned: <path>' of an existing map, "
                  + "or type, key_size, value_size and max_entries to create one");
        }
      }
      if (pinned != null && e.pin() != null) {
        throw new ConfigException(
            at
                + ".pin: only a map the agent creates is pinned by it; '"
                + name
                + "' is already pinned at "
                + pinned);
      }
      Path pin = e.pin() != null ? Path.of(e.pin()) : pinDir.resolve(name);
      Duration scan =
          AgentSettings.MAP_SCAN_INTERVAL.valueOr(at + ".scan_interval", e.scanInterval());
      if (scan.isZero() || scan.isNegative()) {
        throw new ConfigException(at + ".scan_interval: must be positive");
      }
      Duration idleTtl = AgentSettings.MAP_IDLE_TTL.valueOr(at + ".idle_ttl", e.idleTtl());
      if (idleTtl.isNegative() || (e.idleTtl() != null && idleTtl.toMillis() == 0)) {
        throw new ConfigException(
            at + ".idle_ttl: must be at least 1ms (leave it out to keep entries until deleted)");
      }
      if (!idleTtl.isZero()
          && type != null
          && (type == MapType.ARRAY || type == MapType.PERCPU_ARRAY)) {
        throw new ConfigException(
            at
                + ".idle_ttl: map '"
                + name
                + "' is an array, whose entries cannot expire; "
                + "remove idle_ttl or use a hash map");
      }
      String group = e.group() == null ? MapConfig.DEFAULT_GROUP : e.group();
      if (!groups.contains(group)) {
        throw new ConfigException(
            at
                + ".group: map '"
                + name
                + "' names group '"
                + group
                + "', which is not in store.groups "
                + new java.util.TreeSet<>(groups));
      }
      out.add(
          new MapConfig(
              name,
              pinned,
              type,
              e.keySize() == null ? 0 : positive(at + ".key_size", e.keySize()),
              e.valueSize() == null ? 0 : positive(at + ".value_size", e.valueSize()),
              e.maxEntries() == null ? 0 : positive(at + ".max_entries", e.maxEntries()),
              pin,
              ConfigLoader.tier(at + ".capture", e.capture()),
              scan,
              ConfigLoader.eviction(at + ".lru_eviction", e.lruEviction()),
              idleTtl,
              group));
    }
    return out;
  }

  static MapType mapType(String field, String text) {
    return switch (text.trim().toLowerCase(java.util.Locale.ROOT)) {
      case "hash" -> MapType.HASH;
      case "lru_hash" -> MapType.LRU_HASH;
      case "array" -> MapType.ARRAY;
      case "percpu_hash" -> MapType.PERCPU_HASH;
      case "percpu_array" -> MapType.PERCPU_ARRAY;
      case "lru_percpu_hash" -> MapType.LRU_PERCPU_HASH;
      default ->
          throw new ConfigException(
              field
                  + ": '"
                  + text
                  + "' is not a supported map type; use hash, lru_hash, "
                  + "array, percpu_hash, percpu_array or lru_percpu_hash");
    };
  }

  private static String required(String field, String value) {
    if (value == null || value.isBlank()) {
      throw new ConfigException(field + " is required");
    }
    return value;
  }

  private static int positive(String field, int value) {
    if (value <= 0) {
      throw new ConfigException(field + ": must be positive, got " + value);
    }
    return value;
  }

  private static String optionalAddress(String field, String value) {
    if (value == null || value.isBlank()) {
      return "";
    }
    HostPort.check(field, value);
    return value;
  }
}
