package io.mapsync.examples.lb;

import io.mapsync.bpf.BpfMap;
import io.mapsync.bpf.MapEntry;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Reads an LB host's pinned maps: the sessions it knows and its counters. */
public final class LbState {
  private final Path pinRoot;

  public LbState(Path pinRoot) {
    this.pinRoot = pinRoot;
  }

  public Path sessionsPin() {
    return pinRoot.resolve(LbLayout.SESSIONS_MAP);
  }

  public List<LbLayout.Session> sessions() {
    List<LbLayout.Session> out = new ArrayList<>();
    try (BpfMap m = BpfMap.openPinned(sessionsPin())) {
      for (MapEntry e : m.dump()) {
        if (LbLayout.isReply(e.key())) { // each flow's other entry pins its request direction
          out.add(LbLayout.session(e.key(), e.value()));
        }
      }
    }
    return out;
  }

  /** Counter name -> value, in lb_counter order. */
  public Map<String, Long> counters() {
    List<byte[]> values = new ArrayList<>();
    try (BpfMap m = BpfMap.openPinned(pinRoot.resolve(LbLayout.STATS_MAP))) {
      for (int i = 0; i < LbLayout.COUNTERS.size(); i++) {
        values.add(m.lookup(LbLayout.index(i)));
      }
    }
    Map<String, Long> out = new LinkedHashMap<>();
    List<Long> counts = LbLayout.counters(values);
    for (int i = 0; i < counts.size(); i++) {
      out.put(LbLayout.COUNTERS.get(i), counts.get(i));
    }
    return out;
  }
}
