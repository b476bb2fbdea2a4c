package io.mapsync.agent.cli;

import com.google.protobuf.ByteString;
import io.mapsync.agent.config.ConfigException;
import java.util.HexFormat;

/**
 * Keys and values on the command line are hex bytes ("0a000001", "0a:00:00:01" or "0a 00 00 01").
 */
final class Hex {
  private static final HexFormat HEX = HexFormat.of();

  private Hex() {}

  static ByteString parse(String what, String text) {
    String clean = text.replaceAll("[\\s:]", "").replaceFirst("^0x", "");
    try {
      return ByteString.copyFrom(HEX.parseHex(clean));
    } catch (IllegalArgumentException e) {
      throw new ConfigException(what + ": '" + text + "' is not hex bytes (e.g. 0a000001)");
    }
  }

  static String of(ByteString bytes) {
    return HEX.formatHex(bytes.toByteArray());
  }
}
