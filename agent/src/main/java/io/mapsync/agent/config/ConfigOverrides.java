package io.mapsync.agent.config;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * Settings given on the command line, each naming a key of {@link AgentSettings}; each one replaces
 * the file's value. Named flags (--id, --peers, ...) and the generic {@code --set key=value} land
 * here the same way: as a value at the key's path in the file's tree, which is then bound and
 * checked exactly like the file. So every key the file knows can be set from the command line, and
 * a new key needs no code here.
 */
public final class ConfigOverrides {
  /** A value and the flag it came from, which error messages name. */
  private record Value(JsonNode node, String flag) {}

  private final Map<String, Value> values = new LinkedHashMap<>();
  private List<String> maps = List.of();

  private ConfigOverrides() {}

  /** No command-line settings: the file as it is. */
  public static ConfigOverrides none() {
    return new ConfigOverrides();
  }

  /**
   * The named flag's value for the key (a string, a boolean, a list of strings, a map of strings);
   * null means the flag was not given.
   */
  public ConfigOverrides with(AgentSettings.Key<?> key, String flag, Object value) {
    if (value != null) {
      values.put(key.key(), new Value(mapper().valueToTree(value), flag));
    }
    return this;
  }

  /** The voters of --peers (n1=host:port,n2=host:port,...). */
  public ConfigOverrides withPeers(String text) {
    return text == null ? this : with(AgentSettings.PEERS, "--peers", parsePeers(text));
  }

  /** The maps of --map flags; given ones replace the file's whole list. */
  public ConfigOverrides withMaps(List<String> flags) {
    maps = flags == null ? List.of() : List.copyOf(flags);
    return this;
  }

  /**
   * {@code --set key=value} assignments. The key is any top-level key of mapsync.yaml
   * (`batching.linger`, `tls.ca`); the value is written as in the file: text for strings, paths,
   * addresses and durations, YAML for the rest (`true`, `4096`, `[a, b]`, `{k: v}`).
   */
  public ConfigOverrides withSet(List<String> assignments) {
    if (assignments == null) {
      return this;
    }
    for (String assignment : assignments) {
      int eq = assignment.indexOf('=');
      if (eq <= 0) {
        throw new ConfigException(
            "--set '" + assignment + "' is not key=value (e.g. --set batching.linger=2ms)");
      }
      String name = assignment.substring(0, eq).trim();
      String text = assignment.substring(eq + 1);
      AgentSettings.Key<?> key =
          settable(name)
              .orElseThrow(
                  () ->
                      new ConfigException(
                          "--set "
                              + name
                              + ": no such setting"
                              + (isMapKey(name) ? " outside maps[] (give maps with --map)" : "")
                              + "; settable keys: "
                              + AgentSettings.TOP_LEVEL.stream()
                                  .map(AgentSettings.Key::key)
                                  .collect(Collectors.joining(", "))));
      values.put(key.key(), new Value(parseValue(key, text), "--set " + key.key()));
    }
    return this;
  }

  /** The key of that name among the top-level keys. */
  static Optional<AgentSettings.Key<?>> settable(String name) {
    return AgentSettings.TOP_LEVEL.stream().filter(k -> k.key().equals(name)).findFirst();
  }

  private static boolean isMapKey(String name) {
    return AgentSettings.MAP_KEYS.stream().anyMatch(k -> k.key().equals(name));
  }

  private static JsonNode parseValue(AgentSettings.Key<?> key, String text) {
    if (!writtenAsYaml(key)) {
      return TextNode.valueOf(text);
    }
    try {
      JsonNode node = mapper().readTree(text.isEmpty() ? "null" : text);
      return node == null ? mapper().nullNode() : node;
    } catch (JsonProcessingException e) {
      throw new ConfigException(
          "--set "
              + key.key()
              + ": '"
              + text
              + "' is not a "
              + key.type()
              + " ("
              + e.getOriginalMessage().split("\n")[0]
              + ")");
    }
  }

  /** Booleans, numbers, lists and maps are written as YAML; every other type as plain text. */
  private static boolean writtenAsYaml(AgentSettings.Key<?> key) {
    String type = key.type();
    return type.equals("bool")
        || type.equals("int")
        || type.startsWith("list")
        || type.startsWith("map");
  }

  /** The file's settings with these replacing theirs (no file: these alone). */
  ConfigFile applyTo(ConfigFile file) {
    if (values.isEmpty() && maps.isEmpty() && file != null) {
      return file;
    }
    ObjectMapper mapper = mapper();
    ObjectNode tree = file == null ? mapper.createObjectNode() : mapper.valueToTree(file);
    for (Map.Entry<String, Value> e : values.entrySet()) {
      put(tree, e.getKey(), e.getValue().node());
    }
    if (!maps.isEmpty()) {
      tree.set("maps", mapper.valueToTree(parseMaps(maps)));
    }
    try {
      return mapper.treeToValue(tree, ConfigFile.class);
    } catch (JsonMappingException e) {
      String field = ConfigLoader.pathOf(e);
      Value v = values.get(field);
      throw new ConfigException(
          (v != null ? v.flag() : "'" + field + "'")
              + " has the wrong type: "
              + e.getOriginalMessage().split("\n")[0],
          e);
    } catch (JsonProcessingException e) {
      throw new ConfigException("the command-line settings do not bind: " + e.getMessage(), e);
    }
  }

  /** Puts a value at a dotted path, making the objects on the way. */
  private static void put(ObjectNode tree, String path, JsonNode value) {
    String[] parts = path.split("\\.");
    ObjectNode node = tree;
    for (int i = 0; i < parts.length - 1; i++) {
      JsonNode child = node.get(parts[i]);
      node = child instanceof ObjectNode o ? o : node.putObject(parts[i]);
    }
    node.set(parts[parts.length - 1], value);
  }

  private static ObjectMapper mapper() {
    return ConfigLoader.mapper();
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
