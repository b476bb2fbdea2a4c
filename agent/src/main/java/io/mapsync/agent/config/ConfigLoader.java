package io.mapsync.agent.config;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.mapsync.agent.config.AgentConfig.Backend;
import io.mapsync.agent.config.MapConfig.CaptureTier;
import io.mapsync.agent.config.MapConfig.LruEviction;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.stream.Collectors;

/**
 * Reads mapsync.yaml strictly. Every problem becomes one {@link ConfigException} whose message
 * names the field (as a path like {@code maps[1].key_size}) and says what is expected.
 */
public final class ConfigLoader {
  private static final ObjectMapper YAML =
      new ObjectMapper(new YAMLFactory())
          .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
          .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
          .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

  private ConfigLoader() {}

  /** Reads and checks a config file. */
  public static AgentConfig load(Path file) {
    return ConfigChecker.check(read(file));
  }

  /**
   * Reads an optional config file, lets command-line settings replace its values, and checks the
   * result.
   */
  public static AgentConfig resolve(Path fileOrNull, ConfigOverrides flags) {
    ConfigFile base = fileOrNull == null ? null : read(fileOrNull);
    return ConfigChecker.check(flags.applyTo(base));
  }

  /** Reads a config file without checking it yet (so command-line flags can be merged in). */
  static ConfigFile read(Path file) {
    String text;
    try {
      text = Files.readString(file);
    } catch (NoSuchFileException e) {
      throw new ConfigException("config file " + file + " does not exist");
    } catch (IOException e) {
      throw new ConfigException("cannot read config file " + file + ": " + e.getMessage());
    }
    return parse(file.toString(), text);
  }

  static ConfigFile parse(String source, String yaml) {
    try {
      ConfigFile f = YAML.readValue(yaml, ConfigFile.class);
      if (f == null) {
        throw new ConfigException(source + " is empty");
      }
      return f;
    } catch (UnrecognizedPropertyException e) {
      String known =
          e.getKnownPropertyIds().stream()
              .map(Object::toString)
              .sorted()
              .collect(Collectors.joining(", "));
      throw new ConfigException(
          source
              + ": unknown key '"
              + pathOf(e)
              + "'"
              + lineOf(e, yaml)
              + "; known keys here: "
              + known,
          e);
    } catch (JsonMappingException e) {
      throw new ConfigException(
          source
              + ": '"
              + pathOf(e)
              + "'"
              + lineOf(e, yaml)
              + " has the wrong type: "
              + e.getOriginalMessage().split("\n")[0],
          e);
    } catch (JsonProcessingException e) {
      throw new ConfigException(
          source + " is not valid YAML" + lineOf(e) + ": " + e.getOriginalMessage(), e);
    }
  }

  /** The reader every config source goes through, so command-line values bind as the file's do. */
  static ObjectMapper mapper() {
    return YAML;
  }

  /** The field a mapping error is about, as a path like {@code maps[1].key_size}. */
  static String pathOf(JsonMappingException e) {
    StringBuilder sb = new StringBuilder();
    for (JsonMappingException.Reference r : e.getPath()) {
      if (r.getIndex() >= 0) {
        sb.append('[').append(r.getIndex()).append(']');
      } else {
        if (sb.length() > 0) {
          sb.append('.');
        }
        sb.append(r.getFieldName());
      }
    }
    return sb.toString();
  }

  /**
   * The line of the key a mapping error is about. Jackson reports where its parser stopped, which
   * for an unknown key with a nested value is lines past the key; so the key is looked up again.
   */
  private static String lineOf(JsonMappingException e, String yaml) {
    int line = KeyLines.lineOf(yaml, e.getPath());
    return line > 0 ? " (line " + line + ")" : lineOf(e);
  }

  private static String lineOf(JsonProcessingException e) {
    return e.getLocation() == null ? "" : " (line " + e.getLocation().getLineNr() + ")";
  }

  static Backend backend(String text) {
    return parseEnum(Backend.class, "store.backend", text == null ? "ratis" : text);
  }

  static CaptureTier tier(String field, String text) {
    return parseEnum(CaptureTier.class, field, text == null ? "auto" : text);
  }

  static LruEviction eviction(String field, String text) {
    return parseEnum(LruEviction.class, field, text == null ? "replicate" : text);
  }

  static <E extends Enum<E>> E parseEnum(Class<E> type, String field, String text) {
    for (E e : type.getEnumConstants()) {
      if (e.name().equalsIgnoreCase(text.trim())) {
        return e;
      }
    }
    String choices =
        java.util.Arrays.stream(type.getEnumConstants())
            .map(e -> e.name().toLowerCase(java.util.Locale.ROOT))
            .collect(Collectors.joining(", "));
    throw new ConfigException(field + ": '" + text + "' is not one of " + choices);
  }
}
