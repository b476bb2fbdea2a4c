package io.mapsync.bpf.internal;

import jnr.ffi.Pointer;

/**
 * Per-thread native memory for syscall arguments: the attr block and the key/value buffers it
 * points to. Reused call after call, so a map update allocates nothing.
 */
final class Scratch {
  static final int ATTR_SIZE = 128;
  private static final ThreadLocal<Scratch> CURRENT = ThreadLocal.withInitial(Scratch::new);

  final Pointer attr = Native.allocate(ATTR_SIZE);
  private Pointer data = Native.allocate(64 * 1024);

  static Scratch get() {
    Scratch s = CURRENT.get();
    s.attr.setMemory(0, ATTR_SIZE, (byte) 0);
    return s;
  }

  /** At least size bytes of data memory; the previous content is not kept. */
  Pointer data(long size) {
    if (data.size() < size) {
      data = Native.allocate(Math.max(size, data.size() * 2));
    }
    return data;
  }
}
