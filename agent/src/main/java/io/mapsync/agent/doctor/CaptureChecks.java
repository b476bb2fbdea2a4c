package io.mapsync.agent.doctor;

import io.mapsync.bpf.BpfMap;
import io.mapsync.bpf.BpfMapSpec;
import io.mapsync.bpf.BpfMapType;
import io.mapsync.bpf.capture.CaptureSession;
import io.mapsync.bpf.capture.Tier;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Which capture tiers load here, found out the way the agent does: a scratch hash map (not pinned,
 * gone when closed) captured once per tier.
 */
final class CaptureChecks {
  private CaptureChecks() {}

  static List<Finding> all() {
    List<Finding> out = new ArrayList<>();
    try (BpfMap map = BpfMap.create(BpfMapSpec.of("mapsync_doctor", BpfMapType.HASH, 4, 4, 16))) {
      out.add(Finding.ok("bpf maps", "created a hash map (id " + map.id() + ")"));
      out.add(
          tier(
              map,
              Tier.SYSCALL,
              "tracefs mounted, kernel 5.8+, and CAP_BPF + CAP_PERFMON (or root)"));
      out.add(
          tier(
              map,
              Tier.FENTRY,
              "a kernel that permits tracing programs (BTF, no lockdown=confidentiality);"
                  + " without it maps use the scan tier, one scan interval late"));
      out.add(Finding.ok("capture tier scan", "always available where maps are"));
    } catch (RuntimeException | LinkageError e) {
      out.add(
          Finding.fail(
              "bpf maps",
              "cannot create a BPF map: " + firstLine(e),
              "run as root, or give the service CAP_BPF, CAP_PERFMON and CAP_NET_ADMIN (the systemd unit does);"
                  + " install libbpf1"));
    }
    return out;
  }

  private static Finding tier(BpfMap map, Tier tier, String needs) {
    String name = "capture tier " + tier.name().toLowerCase(java.util.Locale.ROOT);
    try (CaptureSession s = CaptureSession.builder(change -> {}).build()) {
      Set<Tier> got = s.add(map, tier);
      if (got.contains(tier)) {
        return Finding.ok(name, "loads");
      }
      String why = CaptureSession.fentryRefusal();
      return Finding.warn(
          name, "refused (" + (why == null ? "fell back to " + got : why) + ")", "needs " + needs);
    } catch (RuntimeException e) {
      return Finding.fail(name, "refused: " + firstLine(e), "needs " + needs);
    }
  }

  static String firstLine(Throwable e) {
    String m = e.getMessage() == null ? e.toString() : e.getMessage();
    return m.lines().findFirst().orElse(m);
  }
}
