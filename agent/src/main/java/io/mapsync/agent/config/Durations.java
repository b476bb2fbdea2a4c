package io.mapsync.agent.config;

import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Parses durations as people write them in config: 100us, 5ms, 1s, 2m, 1h. */
public final class Durations {
  private static final Pattern FORM = Pattern.compile("(\\d+)(ns|us|ms|s|m|h)");

  private Durations() {}

  /** The duration, or a ConfigException naming the field. */
  public static Duration parse(String field, String text) {
    Matcher m = FORM.matcher(text.trim());
    if (!m.matches()) {
      throw new ConfigException(
          field + ": '" + text + "' is not a duration; write e.g. 100us, 5ms, 1s, 2m");
    }
    long n = Long.parseLong(m.group(1));
    return switch (m.group(2)) {
      case "ns" -> Duration.ofNanos(n);
      case "us" -> Duration.ofNanos(n * 1000);
      case "ms" -> Duration.ofMillis(n);
      case "s" -> Duration.ofSeconds(n);
      case "m" -> Duration.ofMinutes(n);
      default -> Duration.ofHours(n);
    };
  }
}
