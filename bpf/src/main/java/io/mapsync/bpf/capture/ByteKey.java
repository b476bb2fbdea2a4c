package io.mapsync.bpf.capture;

import java.util.Arrays;

/** A key's bytes as a hash-set element. */
final class ByteKey {
  private final byte[] bytes;
  private final int hash;

  ByteKey(byte[] bytes) {
    this.bytes = bytes;
    this.hash = Arrays.hashCode(bytes);
  }

  static ByteKey copyOf(byte[] src, int off, int len) {
    return new ByteKey(Arrays.copyOfRange(src, off, off + len));
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof ByteKey k && k.hash == hash && Arrays.equals(k.bytes, bytes);
  }

  @Override
  public int hashCode() {
    return hash;
  }
}
