package io.mapsync.bpf;

/** The kernel, or this module, does not support the operation on this map or program type. */
public class NotSupportedException extends BpfException {
  private static final long serialVersionUID = 1L;

  public NotSupportedException(String message, int errno) {
    super(message, errno);
  }
}
