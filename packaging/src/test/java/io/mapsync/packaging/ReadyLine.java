package io.mapsync.packaging;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/** Waits for a started agent's " ready" line on stdout; fails with its log if it exits first. */
final class ReadyLine {
  private ReadyLine() {}

  static void await(Process agent, Path log, String which) throws IOException {
    BufferedReader out =
        new BufferedReader(new InputStreamReader(agent.getInputStream(), StandardCharsets.UTF_8));
    String line;
    boolean ready = false;
    while (!ready && (line = out.readLine()) != null) {
      ready = line.contains(" ready");
    }
    assertTrue(ready, which + " exited before it was ready; its log:\n" + Files.readString(log));
  }
}
