package io.mapsync.bpf;

/** Kernel map types, numbered as enum bpf_map_type in include/uapi/linux/bpf.h. */
public enum BpfMapType {
  UNSPEC(0),
  HASH(1),
  ARRAY(2),
  PROG_ARRAY(3),
  PERF_EVENT_ARRAY(4),
  PERCPU_HASH(5),
  PERCPU_ARRAY(6),
  STACK_TRACE(7),
  CGROUP_ARRAY(8),
  LRU_HASH(9),
  LRU_PERCPU_HASH(10),
  LPM_TRIE(11),
  ARRAY_OF_MAPS(12),
  HASH_OF_MAPS(13),
  DEVMAP(14),
  SOCKMAP(15),
  CPUMAP(16),
  XSKMAP(17),
  SOCKHASH(18),
  CGROUP_STORAGE(19),
  REUSEPORT_SOCKARRAY(20),
  PERCPU_CGROUP_STORAGE(21),
  QUEUE(22),
  STACK(23),
  SK_STORAGE(24),
  DEVMAP_HASH(25),
  STRUCT_OPS(26),
  RINGBUF(27),
  INODE_STORAGE(28),
  TASK_STORAGE(29),
  BLOOM_FILTER(30),
  USER_RINGBUF(31),
  CGRP_STORAGE(32),
  ARENA(33);

  private final int kernelValue;

  BpfMapType(int kernelValue) {
    this.kernelValue = kernelValue;
  }

  public int kernelValue() {
    return kernelValue;
  }

  /** The type for a kernel number; UNSPEC for numbers newer than this enum. */
  public static BpfMapType of(int kernelValue) {
    BpfMapType[] all = values();
    return kernelValue >= 0 && kernelValue < all.length ? all[kernelValue] : UNSPEC;
  }

  /** Values as bpf() returns them hold one slot per possible CPU, each rounded up to 8 bytes. */
  public boolean isPerCpu() {
    return this == PERCPU_HASH || this == PERCPU_ARRAY || this == LRU_PERCPU_HASH;
  }

  /** Entries cannot be deleted, only overwritten. */
  public boolean isArray() {
    return this == ARRAY || this == PERCPU_ARRAY;
  }

  /** The types capture can replicate: hash, LRU hash, array and their per-CPU variants. */
  public boolean isCapturable() {
    return this == HASH || this == LRU_HASH || this == ARRAY || isPerCpu();
  }
}
