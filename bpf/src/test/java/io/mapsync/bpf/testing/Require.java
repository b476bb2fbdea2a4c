package io.mapsync.bpf.testing;

import io.mapsync.lab.Prerequisites;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The kernel's part of a test's preconditions: root, bpffs, libbpf, the bpf() tracepoints and BTF.
 * Each missing piece skips or fails through {@link Prerequisites}, the one rule for every module.
 */
public final class Require {
  private Require() {}

  /** Root, bpffs and a bpf() that can create a map. */
  public static void bpf() {
    Prerequisites.root("BPF tests");
    Prerequisites.require(
        Files.isDirectory(Path.of("/sys/fs/bpf")) && Mounts.ensure("bpf", "/sys/fs/bpf"),
        "bpffs is not mounted at /sys/fs/bpf");
    Prerequisites.require(
        Files.exists(Path.of("/usr/lib/x86_64-linux-gnu/libbpf.so.1"))
            || Files.exists(Path.of("/usr/lib64/libbpf.so.1")),
        "libbpf.so.1 is not installed");
  }

  /** Everything bpf() needs plus tracefs with the syscalls:*_bpf tracepoints. */
  public static void tracepoints() {
    bpf();
    Mounts.ensure("tracefs", "/sys/kernel/tracing");
    Prerequisites.require(
        Files.exists(Path.of("/sys/kernel/tracing/events/syscalls/sys_enter_bpf")),
        "tracepoint syscalls:sys_enter_bpf is missing (tracefs not mounted or CONFIG_FTRACE_SYSCALLS off)");
    Prerequisites.require(
        Files.exists(Path.of("/sys/kernel/btf/vmlinux")),
        "the kernel has no BTF (/sys/kernel/btf/vmlinux), needed for CO-RE");
  }
}
