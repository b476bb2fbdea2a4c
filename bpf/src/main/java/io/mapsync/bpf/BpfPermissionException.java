package io.mapsync.bpf;

/**
 * The kernel refused the call: missing capability, lockdown or a security module (EPERM, EACCES).
 */
public class BpfPermissionException extends BpfException {
  private static final long serialVersionUID = 1L;

  public BpfPermissionException(String message, int errno) {
    super(message, errno);
  }
}
