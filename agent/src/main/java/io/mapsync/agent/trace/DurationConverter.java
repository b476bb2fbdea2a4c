package io.mapsync.agent.trace;

import java.time.Duration;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/** Reads "250ms", "2s", "1m" or an ISO-8601 duration ("PT2S"). */
public final class DurationConverter implements ITypeConverter<Duration> {
  @Override
  public Duration convert(String value) {
    String v = value.trim().toLowerCase(java.util.Locale.ROOT);
    try {
      if (v.startsWith("pt")) {
        return Duration.parse(value);
      } else if (v.endsWith("ms")) {
        return Duration.ofMillis(Long.parseLong(v.substring(0, v.length() - 2)));
      } else if (v.endsWith("us")) {
        return Duration.ofNanos(1000 * Long.parseLong(v.substring(0, v.length() - 2)));
      } else if (v.endsWith("s")) {
        return Duration.ofMillis(
            Math.round(1000 * Double.parseDouble(v.substring(0, v.length() - 1))));
      } else if (v.endsWith("m")) {
        return Duration.ofSeconds(60 * Long.parseLong(v.substring(0, v.length() - 1)));
      }
    } catch (NumberFormatException | java.time.format.DateTimeParseException e) {
      // fall through to the message below
    }
    throw new TypeConversionException(
        "'" + value + "' is not a duration (examples: 250ms, 2s, 1m)");
  }
}
