package io.mapsync.examples.lb;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;

/** Runs a command to completion; a failure carries the command and its output. */
final class Commands {
  private Commands() {}

  static String run(List<String> cmd, boolean mayFail) throws IOException {
    return run(new ProcessBuilder(cmd), mayFail);
  }

  static String run(ProcessBuilder pb, boolean mayFail) throws IOException {
    Process p = pb.redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    try {
      if (p.waitFor() != 0 && !mayFail) {
        throw new IOException(String.join(" ", pb.command()) + " failed:\n" + out.strip());
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted", e);
    }
    return out;
  }
}
