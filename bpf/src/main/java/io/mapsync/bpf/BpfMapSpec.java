package io.mapsync.bpf;

import java.util.Objects;

/**
 * A blueprint of a map: what {@link BpfMap#create} asks the kernel for. {@code valueSize} is the
 * size of one value as a BPF program sees it (for per-CPU maps, one CPU's slot); {@code flags} are
 * BPF_F_* map flags.
 */
public record BpfMapSpec(
    String name, BpfMapType type, int keySize, int valueSize, int maxEntries, int flags) {
  public BpfMapSpec {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(type, "type");
    if (name.length() > 15) {
      throw new IllegalArgumentException(
          "map name '" + name + "' is longer than the kernel's 15 characters");
    }
    if (keySize < 0 || valueSize <= 0 || maxEntries <= 0) {
      throw new IllegalArgumentException(
          "map '" + name + "': sizes and max entries must be positive");
    }
  }

  /** A spec without map flags. */
  public static BpfMapSpec of(
      String name, BpfMapType type, int keySize, int valueSize, int maxEntries) {
    return new BpfMapSpec(name, type, keySize, valueSize, maxEntries, 0);
  }
}
