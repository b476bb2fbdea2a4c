package io.mapsync.bpf.testing;

import io.mapsync.bpf.BpfMap;
import io.mapsync.bpf.MapEntry;
import io.mapsync.bpf.capture.MapChange;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** Folds reported changes into the map content they imply, as a replica would. */
public final class Fold {
  private Fold() {}

  public static Map<String, String> of(List<MapChange> changes) {
    Map<String, String> state = new TreeMap<>();
    HexFormat hex = HexFormat.of();
    for (MapChange c : changes) {
      if (c.op() == MapChange.Op.PUT) {
        state.put(hex.formatHex(c.key()), hex.formatHex(c.value()));
      } else {
        state.remove(hex.formatHex(c.key()));
      }
    }
    return state;
  }

  /** The map's content as hex key to hex value. */
  public static Map<String, String> content(BpfMap map) {
    Map<String, String> state = new TreeMap<>();
    HexFormat hex = HexFormat.of();
    for (MapEntry e : map.dump()) {
      state.put(hex.formatHex(e.key()), hex.formatHex(e.value()));
    }
    return state;
  }
}
