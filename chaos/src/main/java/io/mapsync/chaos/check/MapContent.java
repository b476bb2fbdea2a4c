package io.mapsync.chaos.check;

import io.mapsync.bpf.BpfMap;
import io.mapsync.bpf.MapEntry;
import io.mapsync.chaos.history.Key;
import io.mapsync.chaos.history.Value;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/** Reads an agent's kernel map through its pin, from this process, the way bpftool would. */
public final class MapContent {
  private MapContent() {}

  /** Every entry; a key the traffic never writes is kept under a null-safe raw decoding. */
  public static Map<Key, Value> read(Path pin) {
    Map<Key, Value> out = new HashMap<>();
    try (BpfMap map = BpfMap.openPinned(pin)) {
      for (MapEntry e : map.dump()) {
        Key key = Key.of(e.key());
        if (key == null) {
          throw new IllegalStateException(
              pin
                  + " holds a key no traffic wrote: "
                  + java.util.HexFormat.of().formatHex(e.key()));
        }
        out.put(key, new Value(e.value()));
      }
    }
    return out;
  }
}
