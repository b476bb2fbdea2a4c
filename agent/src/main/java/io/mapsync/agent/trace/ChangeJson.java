package io.mapsync.agent.trace;

import io.mapsync.bpf.capture.MapChange;
import java.util.HexFormat;
import java.util.Locale;

/**
 * One captured change as a JSON object on one line (map names are escaped; everything else is hex
 * or numbers).
 */
public final class ChangeJson {
  private static final HexFormat HEX = HexFormat.of();

  private ChangeJson() {}

  public static String of(MapChange c) {
    StringBuilder b = new StringBuilder(160);
    b.append("{\"tier\":\"")
        .append(c.tier().name().toLowerCase(Locale.ROOT))
        .append("\",\"map\":")
        .append(quote(c.mapName()))
        .append(",\"map_id\":")
        .append(c.mapId())
        .append(",\"op\":\"")
        .append(c.op().name().toLowerCase(Locale.ROOT))
        .append("\",\"key\":\"")
        .append(HEX.formatHex(c.key()))
        .append('"')
        .append(",\"value\":")
        .append(c.value() == null ? "null" : "\"" + HEX.formatHex(c.value()) + "\"")
        .append(",\"pid\":")
        .append(c.pid())
        .append(",\"ts_ns\":")
        .append(c.timestampNs())
        .append('}');
    return b.toString();
  }

  static String quote(String s) {
    StringBuilder b = new StringBuilder("\"");
    for (char ch : s.toCharArray()) {
      if (ch == '"' || ch == '\\') {
        b.append('\\').append(ch);
      } else if (ch < 0x20) {
        b.append(String.format("\\u%04x", (int) ch));
      } else {
        b.append(ch);
      }
    }
    return b.append('"').toString();
  }
}
