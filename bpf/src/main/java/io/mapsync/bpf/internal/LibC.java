package io.mapsync.bpf.internal;

import jnr.ffi.Pointer;
import jnr.ffi.annotations.SaveError;

/** The libc calls bpf/ needs, bound by jnr-ffi; pointers travel as raw addresses. */
public interface LibC {
  @SaveError
  long syscall(long number, long a1, long a2, long a3);

  @SaveError
  int close(int fd);

  @SaveError
  int fcntl(int fd, int cmd, int arg);

  /**
   * Declared with a Pointer address: jnr-ffi 2.2.17 mis-passes this signature with a long first
   * argument.
   */
  @SaveError
  Pointer mmap(Pointer addr, long length, int prot, int flags, int fd, long offset);

  @SaveError
  int munmap(long addr, long length);

  @SaveError
  int poll(long fds, long nfds, int timeoutMillis);

  @SaveError
  int eventfd(int initval, int flags);

  @SaveError
  long write(int fd, long buf, long count);

  @SaveError
  long read(int fd, long buf, long count);

  @SaveError
  int if_nametoindex(String name);
}
