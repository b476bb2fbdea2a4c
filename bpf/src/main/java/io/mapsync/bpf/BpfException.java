package io.mapsync.bpf;

/**
 * A kernel or libbpf call failed. Subclasses name the failures callers act on; the message says
 * what was attempted, on which map, and the errno.
 */
public class BpfException extends RuntimeException {
  private static final long serialVersionUID = 1L;
  private final int errno;

  public BpfException(String message, int errno) {
    super(message);
    this.errno = errno;
  }

  public BpfException(String message, int errno, Throwable cause) {
    super(message, cause);
    this.errno = errno;
  }

  /** The kernel's errno, or 0 when the failure was detected before any call. */
  public int errno() {
    return errno;
  }
}
