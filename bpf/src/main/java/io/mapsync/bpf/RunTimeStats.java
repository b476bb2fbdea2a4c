package io.mapsync.bpf;

import io.mapsync.bpf.internal.Bpf;
import io.mapsync.bpf.internal.Fd;

/**
 * Keeps the kernel's BPF run-time statistics on while open (BPF_ENABLE_STATS), without touching the
 * sysctl.
 */
public final class RunTimeStats implements AutoCloseable {
  private final Fd fd;

  private RunTimeStats(Fd fd) {
    this.fd = fd;
  }

  public static RunTimeStats enable() {
    return new RunTimeStats(Bpf.enableRunTimeStats());
  }

  @Override
  public void close() {
    fd.close();
  }
}
