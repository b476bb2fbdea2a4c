package io.mapsync.bpf;

/** An attached program; closing it detaches the program. */
public final class BpfLink implements AutoCloseable {
  private final String description;
  private Runnable detach;

  BpfLink(String description, Runnable detach) {
    this.description = description;
    this.detach = detach;
  }

  public synchronized boolean isAttached() {
    return detach != null;
  }

  @Override
  public synchronized void close() {
    if (detach != null) {
      Runnable d = detach;
      detach = null;
      d.run();
    }
  }

  @Override
  public String toString() {
    return description;
  }
}
