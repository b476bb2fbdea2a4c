package io.mapsync.examples.lb;

import io.mapsync.bpf.BpfMap;
import io.mapsync.bpf.MapEntry;
import io.mapsync.bpf.UpdateFlag;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Writes a checked {@link LbConfig} into an LB host's pinned configuration maps (lb_services,
 * lb_backends, lb_slots, lb_origins). A service keeps its id and, through {@link SlotTable}, the
 * slots of the backends it keeps; backends and slots are written before the service entry that
 * points at them, and what the file no longer names is deleted last. Sessions are not touched:
 * running flows stay on their backends.
 */
public final class LbApply {
  private final Path pinRoot;

  public LbApply(Path pinRoot) {
    this.pinRoot = pinRoot;
  }

  /** Returns one line per service written. */
  public List<String> apply(LbConfig config) {
    List<String> out = new ArrayList<>();
    try (BpfMap services = open(LbLayout.SERVICES_MAP);
        BpfMap backends = open(LbLayout.BACKENDS_MAP);
        BpfMap slots = open(LbLayout.SLOTS_MAP);
        BpfMap origins = open(LbLayout.ORIGINS_MAP)) {
      Map<String, Integer> idByName = new HashMap<>();
      Map<String, Integer> existing = new HashMap<>();
      for (MapEntry e : services.dump()) {
        existing.put(hex(e.key()), le(e.value()).getInt(0));
      }
      Set<Integer> used = new HashSet<>();
      for (LbConfig.Service s : config.services()) {
        for (String p : s.protocols()) {
          Integer id = existing.get(hex(LbLayout.serviceKey(s.vip(), LbLayout.protocolNumber(p))));
          if (id != null && !used.contains(id) && !idByName.containsKey(s.name())) {
            idByName.put(s.name(), id);
            used.add(id);
          }
        }
      }
      int next = 0;
      Set<String> wanted = new HashSet<>();
      Set<String> wantedOrigins = new HashSet<>();
      Set<Endpoint> echoVips = new HashSet<>();
      for (LbConfig.Service s : config.services()) {
        if (!idByName.containsKey(s.name())) {
          while (used.contains(next)) {
            next++;
          }
          idByName.put(s.name(), next);
          used.add(next);
        }
        int id = idByName.get(s.name());
        List<Endpoint> previous = previousSlots(backends, slots, id);
        Map<Endpoint, Integer> weights = new LinkedHashMap<>();
        s.backends().forEach(b -> weights.put(b.address(), b.weight()));
        List<Endpoint> table = SlotTable.assign(previous, weights, LbLayout.SLOTS);
        List<Endpoint> order = new ArrayList<>(weights.keySet());
        for (int i = 0; i < order.size(); i++) {
          backends.update(
              LbLayout.index(id * LbLayout.MAX_BACKENDS + i),
              LbLayout.backend(order.get(i), weights.get(order.get(i))),
              UpdateFlag.ANY);
        }
        for (int i = 0; i < table.size(); i++) {
          slots.update(
              LbLayout.index(id * LbLayout.SLOTS + i),
              LbLayout.index(order.indexOf(table.get(i))),
              UpdateFlag.ANY);
        }
        for (String p : s.protocols()) {
          byte[] key = LbLayout.serviceKey(s.vip(), LbLayout.protocolNumber(p));
          services.update(
              key,
              LbLayout.service(id, order.size(), config.derive() ? LbLayout.FLAG_DERIVE : 0),
              UpdateFlag.ANY);
          wanted.add(hex(key));
          for (Endpoint b : order) {
            byte[] origin = LbLayout.serviceKey(b, LbLayout.protocolNumber(p));
            origins.update(origin, key, UpdateFlag.ANY);
            wantedOrigins.add(hex(origin));
          }
        }
        // A VIP answers ping through its first service's backends. No origin: an echo reply is
        // never derived (a ping to a backend's own address gets the same reply).
        boolean echo = echoVips.add(new Endpoint(s.vip().ip(), 0));
        if (echo) {
          byte[] key = LbLayout.serviceKey(new Endpoint(s.vip().ip(), 0), LbLayout.PROTO_ICMP);
          services.update(key, LbLayout.service(id, order.size(), 0), UpdateFlag.ANY);
          wanted.add(hex(key));
        }
        out.add(
            String.format(
                "service %s: %s %s -> %s",
                s.name(),
                String.join("+", s.protocols()) + (echo ? "+ping" : ""),
                s.vip(),
                describe(weights, table)));
      }
      deleteOthers(services, wanted);
      deleteOthers(origins, wantedOrigins);
    }
    return out;
  }

  private static String describe(Map<Endpoint, Integer> weights, List<Endpoint> table) {
    StringBuilder b = new StringBuilder();
    weights.forEach(
        (e, w) ->
            b.append(b.length() == 0 ? "" : ", ")
                .append(e)
                .append(" weight ")
                .append(w)
                .append(" (")
                .append(table.stream().filter(e::equals).count())
                .append(" slots)"));
    return b.toString();
  }

  /** The service's current table as backend addresses (empty for a new service). */
  private static List<Endpoint> previousSlots(BpfMap backends, BpfMap slots, int id) {
    List<Endpoint> out = new ArrayList<>();
    for (int i = 0; i < LbLayout.SLOTS; i++) {
      int index = le(slots.lookup(LbLayout.index(id * LbLayout.SLOTS + i))).getInt(0);
      byte[] b =
          index < LbLayout.MAX_BACKENDS
              ? backends.lookup(LbLayout.index(id * LbLayout.MAX_BACKENDS + index))
              : null;
      out.add(b == null || le(b).getInt(0) == 0 ? null : LbLayout.backendAddress(b));
    }
    return out;
  }

  private static void deleteOthers(BpfMap map, Set<String> wanted) {
    for (MapEntry e : map.dump()) {
      if (!wanted.contains(hex(e.key()))) {
        map.delete(e.key());
      }
    }
  }

  private BpfMap open(String name) {
    return BpfMap.openPinned(pinRoot.resolve(name));
  }

  private static ByteBuffer le(byte[] b) {
    return ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN);
  }

  /** A map key as text, for sets and maps (arrays compare by identity). */
  private static String hex(byte[] key) {
    return HexFormat.of().formatHex(key);
  }
}
