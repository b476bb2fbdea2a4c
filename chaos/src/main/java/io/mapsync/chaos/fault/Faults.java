package io.mapsync.chaos.fault;

import io.mapsync.chaos.cluster.Network;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/** Every failpoint by name, for the soak command's --faults and the docs. */
public final class Faults {
  private static final Map<String, Function<Targets.Role, Fault>> KINDS = new LinkedHashMap<>();

  static {
    KINDS.put("kill", KillMember::new);
    KINDS.put("pause", PauseMember::new);
    KINDS.put("partition", PartitionMember::new);
    KINDS.put("isolate", IsolateMember::new);
    KINDS.put("slow", SlowMember::new);
    KINDS.put("wipe", WipeMember::new);
    KINDS.put("cut-inbound", r -> new CutOneWay(r, Network.Direction.INBOUND));
    KINDS.put("cut-outbound", r -> new CutOneWay(r, Network.Direction.OUTBOUND));
    KINDS.put("lossy", LossyLink::new);
    KINDS.put("replace", WipeMember::replacing);
    // fill-disk and clock-jump need a lab made for them (data disks, libfaketime): scenarios only
  }

  private Faults() {}

  /** All names: kill-leader, kill-follower, pause-leader, ..., pause-followers. */
  public static List<String> names() {
    List<String> out = new ArrayList<>();
    out.add(new PauseFollowers().name());
    out.add(new RollingRestart().name());
    out.add(new KillDuringSnapshot(Targets.Role.FOLLOWER).name());
    out.add(new KillDuringSnapshot(Targets.Role.LEADER).name());
    for (String kind : KINDS.keySet()) {
      for (Targets.Role r : Targets.Role.values()) {
        out.add(kind + "-" + Targets.lower(r));
      }
    }
    return out;
  }

  /** The fault of that name. */
  public static Fault named(String name) {
    if (name.equals("pause-followers")) {
      return new PauseFollowers();
    }
    if (name.equals("rolling-restart")) {
      return new RollingRestart();
    }
    for (Targets.Role r : Targets.Role.values()) {
      if (name.equals(new KillDuringSnapshot(r).name())) {
        return new KillDuringSnapshot(r);
      }
    }
    int dash = name.lastIndexOf('-');
    Function<Targets.Role, Fault> kind = dash < 0 ? null : KINDS.get(name.substring(0, dash));
    Targets.Role role =
        dash < 0
            ? null
            : Arrays.stream(Targets.Role.values())
                .filter(r -> Targets.lower(r).equals(name.substring(dash + 1)))
                .findFirst()
                .orElse(null);
    if (kind == null || role == null) {
      throw new IllegalArgumentException(
          "no fault '" + name + "'; known: " + String.join(", ", names()));
    }
    return kind.apply(role);
  }
}
