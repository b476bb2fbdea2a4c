package io.mapsync.bpf.internal;

import com.kenai.jffi.MemoryIO;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/** An mmap of a BPF map (ring buffer pages, an mmapable array) seen as a direct ByteBuffer. */
final class MappedRegion implements AutoCloseable {
  private static final int PROT_READ = 1;
  private static final int PROT_WRITE = 2;
  private static final int MAP_SHARED = 1;
  private static final long MAP_FAILED = -1;

  private final long address;
  private final long length;
  private final ByteBuffer buffer;
  private boolean mapped = true;

  MappedRegion(int fd, long offset, long length, boolean writable, String what) {
    jnr.ffi.Pointer p =
        Native.libc()
            .mmap(null, length, PROT_READ | (writable ? PROT_WRITE : 0), MAP_SHARED, fd, offset);
    long addr = p == null ? 0 : p.address();
    if (addr == MAP_FAILED || addr == 0) {
      throw Errors.of(Native.errno(), "mmap of " + what, false);
    }
    if (length > Integer.MAX_VALUE) {
      Native.libc().munmap(addr, length);
      throw new IllegalArgumentException(what + ": " + length + " bytes is too large to map");
    }
    this.address = addr;
    this.length = length;
    this.buffer =
        MemoryIO.getInstance()
            .newDirectByteBuffer(addr, (int) length)
            .order(ByteOrder.nativeOrder());
  }

  ByteBuffer buffer() {
    return buffer;
  }

  @Override
  public void close() {
    if (mapped) {
      mapped = false;
      Native.libc().munmap(address, length);
    }
  }

  static long pageSize() {
    return 4096; // x86-64, the only architecture this module ships objects for
  }
}
