package io.mapsync.store.state;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.google.protobuf.ByteString;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/**
 * The fast decoding that bootstrap and snapshot restore use gives what {@link
 * KeyLayout#parseEntryKey} gives, for good keys and bad ones.
 */
class RawKeyDecodingTest {
  @Test
  void agreesWithTheFullParseOnGoodAndBadKeys() {
    String prefix = "/mapsync/maps/sessions/";
    int size = KeyLayout.mapPrefix("sessions").size();
    for (String tail :
        new String[] {"0a000001", "0A0B", "", "abc", "zz00", "00/11", "00 1", "\u00e9\u00e9"}) {
      ByteString key = ByteString.copyFrom(prefix + tail, StandardCharsets.UTF_8);
      ByteString expected =
          KeyLayout.parseEntryKey(key).map(KeyLayout.EntryKey::rawKey).orElse(null);
      assertEquals(expected, KeyLayout.rawKeyAfter(key, size), "decoding '" + tail + "'");
      assertEquals(expected != null, KeyLayout.isRawKeyAfter(key, size), "checking '" + tail + "'");
    }
  }
}
