package io.mapsync.agent.config;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Settings given on the command line; each one that is set replaces the file's value.
 *
 * @param peers "n1=host:port,n2=host:port,..."
 * @param maps map flags: "name=/pinned/path" for an existing map, or
 *     "name:type:keySize:valueSize:maxEntries" for one the agent creates
 */
public record ConfigOverrides(
    String id,
    String dataDir,
    String peers,
    String clientAddress,
    String metricsAddress,
    Boolean join,
    List<String> listeners,
    List<String> maps,
    String backend,
    List<String> etcdEndpoints,
    String pinDir) {

  ConfigFile applyTo(ConfigFile f) {
    ConfigFile base =
        f != null
            ? f
            : new ConfigFile(
                null, null, null, null, null, null, null, null, null, null, null, null, null, null,
                null);
    ConfigFile.Store store = base.store();
    if (backend != null || etcdEndpoints != null) {
      store =
          new ConfigFile.Store(
              backend != null ? backend : store == null ? null : store.backend(),
              etcdEndpoints != null ? etcdEndpoints : store == null ? null : store.etcdEndpoints(),
              store == null ? null : store.etcdPrefix(),
              store == null ? null : store.raftProperties());
    }
    return new ConfigFile(
        base.clusterName(),
        id != null ? id : base.id(),
        dataDir != null ? dataDir : base.dataDir(),
        peers != null ? parsePeers(peers) : base.peers(),
        listeners != null ? listeners : base.listeners(),
        join != null ? join : base.join(),
        clientAddress != null ? clientAddress : base.clientAddress(),
        metricsAddress != null ? metricsAddress : base.metricsAddress(),
        store,
        base.batching(),
        base.antiEntropyInterval(),
        pinDir != null ? pinDir : base.pinDir(),
        maps != null && !maps.isEmpty() ? parseMaps(maps) : base.maps(),
        base.emitPinRoot(),
        base.tls());
  }

  static Map<String, String> parsePeers(String text) {
    Map<String, String> out = new LinkedHashMap<>();
    for (String part : text.split(",")) {
      String p = part.trim();
      int eq = p.indexOf('=');
      if (eq <= 0) {
        throw new ConfigException(
            "--peers: '" + p + "' is not name=host:port (e.g. n1=127.0.0.1:7001)");
      }
      out.put(p.substring(0, eq), p.substring(eq + 1));
    }
    return out;
  }

  static List<ConfigFile.MapEntry> parseMaps(List<String> flags) {
    List<ConfigFile.MapEntry> out = new ArrayList<>();
    for (String flag : flags) {
      int eq = flag.indexOf('=');
      if (eq > 0) {
        out.add(
            new ConfigFile.MapEntry(
                flag.substring(0, eq),
                flag.substring(eq + 1),
                null,
                null,
                null,
                null,
                null,
                null,
                null,
                null,
                null));
        continue;
      }
      String[] p = flag.split(":");
      if (p.length != 5) {
        throw new ConfigException(
            "--map: '"
                + flag
                + "' is neither name=/pinned/path nor "
                + "name:type:key_size:value_size:max_entries (e.g. sessions:lru_hash:16:32:65536)");
      }
      try {
        out.add(
            new ConfigFile.MapEntry(
                p[0],
                null,
                p[1],
                Integer.parseInt(p[2]),
                Integer.parseInt(p[3]),
                Integer.parseInt(p[4]),
                null,
                null,
                null,
                null,
                null));
      } catch (NumberFormatException e) {
        throw new ConfigException(
            "--map: '" + flag + "': key_size, value_size and max_entries must be numbers");
      }
    }
    return out;
  }
}
