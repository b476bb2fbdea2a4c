package io.mapsync.bpf;

/** How an update treats an existing key (BPF_ANY, BPF_NOEXIST, BPF_EXIST). */
public enum UpdateFlag {
  /** Create or overwrite. */
  ANY(0),
  /** Create only; fails with {@link KeyExistsException} if the key is there. */
  NOEXIST(1),
  /** Overwrite only; fails with {@link KeyNotFoundException} if the key is absent. */
  EXIST(2);

  private final long kernelValue;

  UpdateFlag(long kernelValue) {
    this.kernelValue = kernelValue;
  }

  public long kernelValue() {
    return kernelValue;
  }
}
