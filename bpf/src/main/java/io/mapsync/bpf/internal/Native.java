package io.mapsync.bpf.internal;

import jnr.ffi.LibraryLoader;
import jnr.ffi.Memory;
import jnr.ffi.Pointer;
import jnr.ffi.Runtime;

/** The loaded native libraries and the bits of jnr-ffi the rest of internal/ shares. */
public final class Native {
  /** x86-64 number of bpf(2); the only architecture this module ships objects for. */
  static final long SYS_BPF = 321;

  private static final LibC LIBC = LibraryLoader.create(LibC.class).load("c");
  private static final Runtime RUNTIME = Runtime.getRuntime(LIBC);
  private static volatile Libbpf libbpf;

  private Native() {}

  public static LibC libc() {
    return LIBC;
  }

  /** libbpf, loaded on first use so plain map access works without it; its printing is silenced. */
  public static Libbpf libbpf() {
    Libbpf lib = libbpf;
    if (lib == null) {
      synchronized (Native.class) {
        lib = libbpf;
        if (lib == null) {
          lib = LibraryLoader.create(Libbpf.class).load(libbpfPath());
          lib.libbpf_set_print(0); // errors reach us as return codes and the kernel log buffer
          libbpf = lib;
        }
      }
    }
    return lib;
  }

  /** libbpf.so.1 from the usual places; a bare libbpf.so exists only with the -dev package. */
  private static String libbpfPath() {
    for (String dir :
        new String[] {
          "/usr/lib/x86_64-linux-gnu", "/lib/x86_64-linux-gnu", "/usr/lib64", "/usr/lib", "/lib64"
        }) {
      java.nio.file.Path p = java.nio.file.Path.of(dir, "libbpf.so.1");
      if (java.nio.file.Files.exists(p)) {
        return p.toString();
      }
    }
    return "bpf";
  }

  /** errno of the last call on this thread that saves it. */
  public static int errno() {
    return RUNTIME.getLastError();
  }

  /** Zeroed native memory, freed when the returned pointer is collected. */
  public static Pointer allocate(long size) {
    return Memory.allocateDirect(RUNTIME, (int) size, true);
  }

  /** A view of native memory at a raw address, for reading what the kernel wrote. */
  public static Pointer wrap(long address, long size) {
    return Pointer.wrap(RUNTIME, address, size);
  }
}
