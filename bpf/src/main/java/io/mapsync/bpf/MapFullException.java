package io.mapsync.bpf;

/** The map has no room for another entry (E2BIG). */
public class MapFullException extends BpfException {
  private static final long serialVersionUID = 1L;

  public MapFullException(String message, int errno) {
    super(message, errno);
  }
}
