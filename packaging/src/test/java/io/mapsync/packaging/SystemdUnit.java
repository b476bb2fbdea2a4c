package io.mapsync.packaging;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A systemd unit file read strictly: every line a [Section], a comment, blank, or Key=value in a
 * section.
 */
record SystemdUnit(Map<String, List<String>> values) {
  static SystemdUnit read(Path file) throws IOException {
    Map<String, List<String>> values = new LinkedHashMap<>();
    String section = null;
    int n = 0;
    for (String line : Files.readAllLines(file)) {
      n++;
      String t = line.strip();
      if (t.isEmpty() || t.startsWith("#") || t.startsWith(";")) {
        continue;
      }
      if (t.startsWith("[") && t.endsWith("]")) {
        section = t.substring(1, t.length() - 1);
        continue;
      }
      int eq = t.indexOf('=');
      if (section == null || eq <= 0) {
        throw new AssertionError(file + ":" + n + ": not Key=value inside a [Section]: " + line);
      }
      values
          .computeIfAbsent(section + "." + t.substring(0, eq).strip(), k -> new ArrayList<>())
          .add(t.substring(eq + 1).strip());
    }
    return new SystemdUnit(values);
  }

  /** The last value of Section.Key (systemd's rule for most keys), or an assertion naming it. */
  String get(String key) {
    List<String> v = values.get(key);
    if (v == null) {
      throw new AssertionError("the unit has no " + key);
    }
    return v.get(v.size() - 1);
  }
}
