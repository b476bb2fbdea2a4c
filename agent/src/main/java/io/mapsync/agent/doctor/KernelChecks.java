package io.mapsync.agent.doctor;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Kernel version, BTF, the bpf and tracing file systems, and lockdown: read from /proc and /sys.
 */
final class KernelChecks {
  /** Ring buffers (capture) arrived in 5.8, and with them CAP_BPF and CAP_PERFMON. */
  static final int[] MINIMUM = {5, 8};

  private final Path root;

  /**
   * @param root "/" on a real host; a fake tree in tests of the parsing
   */
  KernelChecks(Path root) {
    this.root = root;
  }

  List<Finding> all() {
    return List.of(
        kernel(),
        btf(),
        mounted(
            "bpffs",
            "bpf",
            "/sys/fs/bpf",
            "mount -t bpf bpf /sys/fs/bpf (scripts/setup does it; add it to /etc/fstab to keep it)"),
        tracefs(),
        lockdown());
  }

  Finding kernel() {
    String release = read("proc/sys/kernel/osrelease");
    if (release == null) {
      return Finding.warn(
          "kernel",
          "cannot read /proc/sys/kernel/osrelease",
          "run doctor on the host, not in a chroot");
    }
    String[] parts = release.split("[.-]");
    int major = Integer.parseInt(parts[0]);
    int minor = parts.length > 1 ? Integer.parseInt(parts[1].replaceAll("\\D.*", "")) : 0;
    boolean recent = major > MINIMUM[0] || (major == MINIMUM[0] && minor >= MINIMUM[1]);
    return recent
        ? Finding.ok("kernel", release)
        : Finding.fail(
            "kernel",
            release + " is older than 5.8: no BPF ring buffer, so no syscall capture tier",
            "upgrade the kernel to 5.8 or later (Debian 11+, Ubuntu 20.10+)");
  }

  Finding btf() {
    return Files.exists(root.resolve("sys/kernel/btf/vmlinux"))
        ? Finding.ok("btf", "/sys/kernel/btf/vmlinux present")
        : Finding.warn(
            "btf",
            "no /sys/kernel/btf/vmlinux: the fentry capture tier cannot load (syscall and scan work)",
            "use a kernel built with CONFIG_DEBUG_INFO_BTF=y (Debian and Ubuntu kernels are)");
  }

  Finding tracefs() {
    Finding a = mounted("tracefs", "tracefs", "/sys/kernel/tracing", "");
    if (a.status() == Finding.Status.OK) {
      return a;
    }
    Finding b = mounted("tracefs", "tracefs", "/sys/kernel/debug/tracing", "");
    return b.status() == Finding.Status.OK
        ? b
        : Finding.fail(
            "tracefs",
            "tracefs is not mounted: the syscall capture tier cannot attach its tracepoints",
            "mount -t tracefs tracefs /sys/kernel/tracing (scripts/setup does it)");
  }

  Finding mounted(String name, String type, String where, String fix) {
    String mounts = read("proc/mounts");
    if (mounts != null
        && mounts
            .lines()
            .map(l -> l.split(" "))
            .anyMatch(f -> f.length > 2 && f[1].equals(where) && f[2].equals(type))) {
      return Finding.ok(name, type + " on " + where);
    }
    return Finding.fail(name, type + " is not mounted on " + where, fix);
  }

  Finding lockdown() {
    String text = read("sys/kernel/security/lockdown");
    if (text == null) {
      return Finding.ok("lockdown", "no lockdown support in this kernel");
    }
    String mode = text.replaceAll(".*\\[(\\w+)].*", "$1").trim();
    return switch (mode) {
      case "none" -> Finding.ok("lockdown", "none");
      case "integrity" -> Finding.ok("lockdown", "integrity (BPF maps and tracepoints still work)");
      default ->
          Finding.fail(
              "lockdown",
              mode
                  + ": the kernel refuses BPF programs that read kernel memory,"
                  + " so no capture tier but scan",
              "boot without lockdown=confidentiality (or with Secure Boot's"
                  + " lockdown set to integrity), or run mapsync with capture: scan");
    };
  }

  private String read(String relative) {
    try {
      return Files.readString(root.resolve(relative)).trim();
    } catch (IOException e) {
      return null;
    }
  }
}
