package io.mapsync.bpf.internal;

import jnr.ffi.Pointer;

/**
 * Blocks the capture thread in poll(2) on ring buffer fds plus an eventfd that {@link #wakeup}
 * signals, so close() and new work end a sleep at once.
 */
public final class Poller implements AutoCloseable {
  private static final short POLLIN = 1;
  private static final int EFD_CLOEXEC = 02000000;
  private static final int EFD_NONBLOCK = 04000;
  private final Fd eventFd;
  private final Pointer readWord = Native.allocate(8);
  private final Pointer wakeWord = Native.allocate(8);
  private Pointer fds = Native.allocate(8);

  public Poller() {
    int fd = Native.libc().eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
    if (fd < 0) {
      throw Errors.of(Native.errno(), "eventfd", false);
    }
    this.eventFd = new Fd(fd);
  }

  /** Waits until one of the rings is readable, wakeup() is called, or the timeout passes. */
  public void await(int[] ringFds, int timeoutMillis) {
    int n = ringFds.length + 1;
    if (fds.size() < 8L * n) {
      fds = Native.allocate(8L * n);
    }
    for (int i = 0; i < n; i++) {
      fds.putInt(
          8L * i,
          i < ringFds.length ? ringFds[i] : eventFd.value()); // struct pollfd: fd, events, revents
      fds.putShort(8L * i + 4, POLLIN);
      fds.putShort(8L * i + 6, (short) 0);
    }
    int r = Native.libc().poll(fds.address(), n, timeoutMillis);
    if (r < 0 && Native.errno() != Errors.EINTR) {
      throw Errors.of(Native.errno(), "poll of capture rings", false);
    }
    if (r > 0 && fds.getShort(8L * (n - 1) + 6) != 0) {
      Native.libc().read(eventFd.value(), readWord.address(), 8); // reset the eventfd
    }
  }

  /** Ends a current or the next await() early. Any thread. */
  public synchronized void wakeup() {
    wakeWord.putLong(0, 1);
    Native.libc().write(eventFd.value(), wakeWord.address(), 8);
  }

  @Override
  public void close() {
    eventFd.close();
  }
}
