package io.mapsync.bpf.testing;

import static org.junit.jupiter.api.Assertions.fail;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Assumptions;

/**
 * Preconditions of kernel tests. A missing kernel feature or tool skips the test with the reason
 * printed, unless MAPSYNC_REQUIRE_ALL=1 (CI), where the same condition fails it: CI must never go
 * green on tests that did not run.
 */
public final class Require {
  private Require() {}

  public static boolean requireAll() {
    return "1".equals(System.getenv("MAPSYNC_REQUIRE_ALL"));
  }

  /** Skips (or, under MAPSYNC_REQUIRE_ALL=1, fails) unless the condition holds. */
  public static void that(boolean condition, String reason) {
    if (condition) {
      return;
    }
    if (requireAll()) {
      fail("required by MAPSYNC_REQUIRE_ALL=1 but unavailable: " + reason);
    }
    System.out.println("SKIPPED: " + reason);
    Assumptions.abort(reason);
  }

  /** Root, bpffs and a bpf() that can create a map. */
  public static void bpf() {
    that(uid() == 0, "BPF tests need root (uid " + uid() + ")");
    that(
        Files.isDirectory(Path.of("/sys/fs/bpf")) && Mounts.ensure("bpf", "/sys/fs/bpf"),
        "bpffs is not mounted at /sys/fs/bpf");
    that(
        Files.exists(Path.of("/usr/lib/x86_64-linux-gnu/libbpf.so.1"))
            || Files.exists(Path.of("/usr/lib64/libbpf.so.1")),
        "libbpf.so.1 is not installed");
  }

  private static int uid() {
    try {
      return (Integer) Files.getAttribute(Path.of("/proc/self"), "unix:uid");
    } catch (java.io.IOException e) {
      return -1;
    }
  }

  /** Everything bpf() needs plus tracefs with the syscalls:*_bpf tracepoints. */
  public static void tracepoints() {
    bpf();
    Mounts.ensure("tracefs", "/sys/kernel/tracing");
    that(
        Files.exists(Path.of("/sys/kernel/tracing/events/syscalls/sys_enter_bpf")),
        "tracepoint syscalls:sys_enter_bpf is missing (tracefs not mounted or CONFIG_FTRACE_SYSCALLS off)");
    that(
        Files.exists(Path.of("/sys/kernel/btf/vmlinux")),
        "the kernel has no BTF (/sys/kernel/btf/vmlinux), needed for CO-RE");
  }

  /** An executable on the PATH. */
  public static void tool(String name) {
    boolean found = false;
    for (String dir : System.getenv().getOrDefault("PATH", "/usr/bin:/usr/sbin").split(":")) {
      found |= Files.isExecutable(Path.of(dir, name));
    }
    found |=
        Files.isExecutable(Path.of("/usr/sbin", name))
            || Files.isExecutable(Path.of("/sbin", name));
    that(found, "tool '" + name + "' is not installed");
  }
}
