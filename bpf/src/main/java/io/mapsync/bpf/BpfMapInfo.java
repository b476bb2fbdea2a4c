package io.mapsync.bpf;

/**
 * What the kernel says about a map (struct bpf_map_info). {@code valueSize} is one CPU's slot for
 * per-CPU maps; {@link #userValueSize} is what bpf() reads and writes.
 */
public record BpfMapInfo(
    int id, String name, BpfMapType type, int keySize, int valueSize, int maxEntries, int flags) {

  /**
   * Bytes of a value as bpf() exchanges it: all possible CPUs' slots, each rounded up to 8, for
   * per-CPU maps.
   */
  public int userValueSize() {
    return type.isPerCpu() ? ((valueSize + 7) & ~7) * PossibleCpus.count() : valueSize;
  }

  /** "'flows' (id 12)", as error messages name a map. */
  public String label() {
    return "'" + name + "' (id " + id + ")";
  }
}
