package io.mapsync.bpf;

/** The key is not in the map (ENOENT). */
public class KeyNotFoundException extends BpfException {
  private static final long serialVersionUID = 1L;

  public KeyNotFoundException(String message, int errno) {
    super(message, errno);
  }
}
