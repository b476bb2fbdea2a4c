package io.mapsync.bpf;

/** No kernel object answers to that id or path (ENOENT on a get-by-id or a pinned path). */
public class ObjectNotFoundException extends BpfException {
  private static final long serialVersionUID = 1L;

  public ObjectNotFoundException(String message, int errno) {
    super(message, errno);
  }
}
