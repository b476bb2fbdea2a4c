package io.mapsync.chaos.cluster;

import io.mapsync.lab.Shell;
import java.io.IOException;

/** Picks a 10.213.S.0/24 lab subnet no interface on this host uses yet. */
final class Subnets {
  private Subnets() {}

  static int pickFree() throws IOException {
    String inUse = Shell.run("ip", "-4", "-o", "addr", "show");
    int start = (int) (ProcessHandle.current().pid() % 240);
    for (int i = 0; i < 240; i++) {
      int s = 10 + (start + i) % 240;
      if (!inUse.contains(" 10.213." + s + ".")) {
        return s;
      }
    }
    throw new IOException("no free 10.213.x.0/24 subnet for the chaos lab");
  }
}
