package io.mapsync.agent.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import picocli.CommandLine;
import picocli.CommandLine.Option;

/**
 * The -o/--output option of the read commands (as etcdctl's -w and bpftool's -j): a table for
 * people or one JSON document per line for scripts. Any command adopts it with {@code @Mixin
 * OutputFormat output;} and prints with {@link #json()} or its own table.
 */
public final class OutputFormat {
  private static final ObjectMapper JSON =
      new ObjectMapper().setPropertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE);

  /** The formats; "text" is accepted as another name of table (what get called it first). */
  public enum Format {
    TABLE,
    JSON
  }

  @Option(
      names = {"-o", "--output"},
      defaultValue = "table",
      converter = FormatConverter.class,
      description = "table or json (default: ${DEFAULT-VALUE})")
  Format format = Format.TABLE;

  boolean json() {
    return format == Format.JSON;
  }

  /** One JSON line for a record, list or map: record components in snake_case, strings escaped. */
  static String toJson(Object value) {
    try {
      return JSON.writeValueAsString(value);
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new IllegalStateException(
          "cannot write " + value.getClass().getSimpleName() + " as JSON", e);
    }
  }

  /** Parses -o values case-insensitively; a wrong one names the accepted ones. */
  static final class FormatConverter implements CommandLine.ITypeConverter<Format> {
    @Override
    public Format convert(String value) {
      return switch (value.toLowerCase(java.util.Locale.ROOT)) {
        case "table", "text" -> Format.TABLE;
        case "json" -> Format.JSON;
        default ->
            throw new CommandLine.TypeConversionException("'" + value + "' is not table or json");
      };
    }
  }
}
