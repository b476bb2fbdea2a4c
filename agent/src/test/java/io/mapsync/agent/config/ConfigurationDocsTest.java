package io.mapsync.agent.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.io.IOException;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** docs/configuration.md's key tables are AgentSettings, and every YAML key has a setting. */
class ConfigurationDocsTest {
  private static final Path DOCS = Path.of("..", "docs", "configuration.md");

  @Test
  void theTopLevelTableIsTheSettings() throws IOException {
    assertEquals(
        AgentSettings.topLevelTable(),
        tableAfter("## Top level"),
        "docs/configuration.md's top-level table differs from AgentSettings: change both");
  }

  @Test
  void theMapsTableIsTheSettings() throws IOException {
    assertEquals(
        AgentSettings.mapTable(),
        tableAfter("## `maps[]`"),
        "docs/configuration.md's maps[] table differs from AgentSettings: change both");
  }

  @Test
  void theGroupsTableIsTheSettings() throws IOException {
    assertEquals(
        AgentSettings.groupTable(),
        tableAfter("## `store.groups[]`"),
        "docs/configuration.md's store.groups[] table differs from AgentSettings: change both");
  }

  @Test
  void everyKeyTheFileAcceptsHasASetting() {
    Set<String> accepted = new TreeSet<>();
    keysOf(ConfigFile.class, "", accepted);
    Set<String> described = new TreeSet<>();
    AgentSettings.TOP_LEVEL.forEach(k -> described.add(k.key()));
    AgentSettings.MAP_KEYS.forEach(k -> described.add("maps[]." + k.key()));
    AgentSettings.GROUP_KEYS.forEach(k -> described.add("store.groups[]." + k.key()));
    assertEquals(
        accepted,
        described,
        "a key of mapsync.yaml (ConfigFile) has no AgentSettings entry, or one is stale");
  }

  /** The keys a record binds, nested records as dotted paths, list elements as "name[]". */
  private static void keysOf(Class<?> record, String prefix, Set<String> out) {
    for (RecordComponent c : record.getRecordComponents()) {
      String name = prefix + c.getAccessor().getAnnotation(JsonProperty.class).value();
      Class<?> type = c.getType();
      if (type.isRecord()) {
        keysOf(type, name + ".", out);
      } else if (List.class.isAssignableFrom(type) && elementIsRecord(c.getGenericType())) {
        keysOf(element(c.getGenericType()), name + "[].", out);
      } else {
        out.add(name);
      }
    }
  }

  private static boolean elementIsRecord(Type list) {
    return list instanceof ParameterizedType p
        && p.getActualTypeArguments()[0] instanceof Class<?> c
        && c.isRecord();
  }

  private static Class<?> element(Type list) {
    return (Class<?>) ((ParameterizedType) list).getActualTypeArguments()[0];
  }

  /** The first markdown table after a heading, header included, one line per row. */
  private static String tableAfter(String heading) throws IOException {
    List<String> lines = Files.readAllLines(DOCS, StandardCharsets.UTF_8);
    int at = lines.indexOf(heading);
    assertTrue(at >= 0, "docs/configuration.md has no heading '" + heading + "'");
    List<String> table = new ArrayList<>();
    for (int i = at + 1; i < lines.size(); i++) {
      String line = lines.get(i);
      if (line.startsWith("|")) {
        table.add(line);
      } else if (!table.isEmpty()) {
        break;
      }
    }
    return table.stream().map(l -> l + "\n").collect(Collectors.joining());
  }
}
