package io.mapsync.store.state;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.google.protobuf.ByteString;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The byte-level map entry key codec gives exactly what the string route gave (kept here as the
 * reference): the same keys for any map and raw key, the same decoding or refusal for any key.
 */
class EntryKeyCodecTest {
  private static final Pattern NAME = Pattern.compile("[A-Za-z0-9_.-]{1,64}");
  private static final HexFormat HEX = HexFormat.of();

  private static ByteString referenceKey(String map, ByteString raw) {
    return ByteString.copyFromUtf8("/mapsync/maps/" + map + "/" + HEX.formatHex(raw.toByteArray()));
  }

  private static Optional<KeyLayout.EntryKey> referenceParse(ByteString key) {
    if (!key.startsWith(KeyLayout.MAPS_PREFIX)) {
      return Optional.empty();
    }
    String rest = key.substring(KeyLayout.MAPS_PREFIX.size()).toStringUtf8();
    int slash = rest.indexOf('/');
    if (slash <= 0) {
      return Optional.empty();
    }
    String map = rest.substring(0, slash);
    String hex = rest.substring(slash + 1);
    if (!NAME.matcher(map).matches() || hex.length() % 2 != 0) {
      return Optional.empty();
    }
    try {
      return Optional.of(new KeyLayout.EntryKey(map, ByteString.copyFrom(HEX.parseHex(hex))));
    } catch (IllegalArgumentException e) {
      return Optional.empty();
    }
  }

  @Test
  void randomMapsAndKeysEncodeAsBeforeAndDecodeBack() {
    Random random = new Random(10);
    String alphabet = "abcXYZ019_.-";
    for (int i = 0; i < 20_000; i++) {
      StringBuilder name = new StringBuilder();
      for (int n = 1 + random.nextInt(64); n > 0; n--) {
        name.append(alphabet.charAt(random.nextInt(alphabet.length())));
      }
      byte[] raw = new byte[random.nextInt(40)];
      random.nextBytes(raw);
      ByteString key = KeyLayout.entryKey(name.toString(), ByteString.copyFrom(raw));
      assertEquals(referenceKey(name.toString(), ByteString.copyFrom(raw)), key);
      assertEquals(
          Optional.of(new KeyLayout.EntryKey(name.toString(), ByteString.copyFrom(raw))),
          KeyLayout.parseEntryKey(key));
    }
  }

  @Test
  void oddKeysDecodeOrAreRefusedAsBefore() {
    List<String> keys =
        List.of(
            "/mapsync/maps/",
            "/mapsync/maps/x",
            "/mapsync/maps//00",
            "/mapsync/maps/x/",
            "/mapsync/maps/x/0",
            "/mapsync/maps/x/0A",
            "/mapsync/maps/x/0g",
            "/mapsync/maps/x/00/11",
            "/mapsync/maps/x y/00",
            "/mapsync/maps/é/00",
            "/mapsync/maps/x/é0",
            "/mapsync/maps/x/éé",
            "/mapsync/maps/" + "a".repeat(64) + "/ff",
            "/mapsync/maps/" + "a".repeat(65) + "/ff",
            "/mapsync/specs/x",
            "/other/maps/x/00");
    for (String k : keys) {
      ByteString key = ByteString.copyFromUtf8(k);
      assertEquals(referenceParse(key), KeyLayout.parseEntryKey(key), k);
    }
    byte[] invalidUtf8 = "/mapsync/maps/x/0000".getBytes(StandardCharsets.US_ASCII);
    invalidUtf8[invalidUtf8.length - 1] = (byte) 0xff;
    ByteString key = ByteString.copyFrom(invalidUtf8);
    assertEquals(referenceParse(key), KeyLayout.parseEntryKey(key));
  }

  @Test
  void aNonAsciiMapNameEncodesAsBefore() {
    ByteString raw = ByteString.copyFrom(new byte[] {1, (byte) 0xab});
    assertEquals(referenceKey("é", raw), KeyLayout.entryKey("é", raw));
  }

  @Test
  void mapNamesAreValidAsBefore() {
    for (String name :
        List.of("", "a", "a.b-c_d", "a b", "é", "a/b", "a".repeat(64), "a".repeat(65))) {
      assertEquals(NAME.matcher(name).matches(), KeyLayout.validMapName(name), name);
    }
  }
}
