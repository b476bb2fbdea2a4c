package io.mapsync.chaos.run;

/** The machine cannot host the chaos lab (not root); says what to do. */
final class LabUnavailable extends Exception {
  private static final long serialVersionUID = 1L;

  LabUnavailable(String message) {
    super(message);
  }

  /** Throws unless this process runs as root (network namespaces, nftables, BPF pins need it). */
  static void check() throws LabUnavailable {
    if (!"root".equals(System.getProperty("user.name"))) {
      throw new LabUnavailable(
          "the chaos lab needs root (network namespaces, nftables, BPF maps); run it as root,"
              + " e.g. `sudo ./mapsync chaos ...`");
    }
  }
}
