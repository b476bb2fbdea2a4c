package io.mapsync.bpf;

/** An update with UpdateFlag.NOEXIST found the key already there (EEXIST). */
public class KeyExistsException extends BpfException {
  private static final long serialVersionUID = 1L;

  public KeyExistsException(String message, int errno) {
    super(message, errno);
  }
}
