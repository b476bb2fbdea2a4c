package io.mapsync.bpf.capture;

/** How changes to a map are captured; see docs/bpf.md for what each tier sees and misses. */
public enum Tier {
  /** SYSCALL plus FENTRY where the kernel permits tracing programs, else SYSCALL plus SCAN. */
  AUTO,
  /**
   * Tracepoints on bpf(2): every update and delete made through the syscall, by other processes.
   */
  SYSCALL,
  /**
   * Periodic dump diffed against the shadow copy: sees everything, including datapath writes and
   * LRU evictions, one interval late.
   */
  SCAN,
  /**
   * fexit on the kernel's map update/delete functions: datapath writes as they happen. Falls back
   * to SCAN where refused.
   */
  FENTRY,
  /** Records the network function publishes itself through include/mapsync_emit.h. */
  EMIT
}
