package io.mapsync.bpf.internal;

import java.util.concurrent.atomic.AtomicInteger;

/**
 * An owned file descriptor: closed exactly once, by its owner. Reading the number of a closed Fd
 * throws, so a use-after-close never reaches a recycled descriptor that now means something else.
 */
public final class Fd implements AutoCloseable {
  private static final int F_DUPFD_CLOEXEC = 1030;
  private final AtomicInteger value;

  public Fd(int value) {
    if (value < 0) {
      throw new IllegalArgumentException("invalid fd " + value);
    }
    this.value = new AtomicInteger(value);
  }

  /** The descriptor number, valid until close(). */
  public int value() {
    int v = value.get();
    if (v < 0) {
      throw new IllegalStateException("file descriptor already closed");
    }
    return v;
  }

  public boolean isOpen() {
    return value.get() >= 0;
  }

  /** A new owned descriptor for the same kernel object (close-on-exec). */
  public Fd dup() {
    return dupOf(value());
  }

  /** An owned duplicate of a descriptor someone else owns (libbpf, for instance). */
  public static Fd dupOf(int fd) {
    int copy = Native.libc().fcntl(fd, F_DUPFD_CLOEXEC, 3);
    if (copy < 0) {
      throw Errors.of(Native.errno(), "dup of fd " + fd, null);
    }
    return new Fd(copy);
  }

  @Override
  public void close() {
    int v = value.getAndSet(-1);
    if (v >= 0) {
      Native.libc().close(v);
    }
  }

  @Override
  public String toString() {
    return "fd " + value.get();
  }
}
