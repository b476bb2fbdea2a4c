package io.mapsync.bpf;

/**
 * The kernel or this module rejected an argument: a key or value of the wrong size, bad flags
 * (EINVAL).
 */
public class InvalidArgumentException extends BpfException {
  private static final long serialVersionUID = 1L;

  public InvalidArgumentException(String message, int errno) {
    super(message, errno);
  }
}
