package io.mapsync.agent.cli;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

/** Runs the mapsync CLI in this JVM and keeps what it printed on stdout. */
public record CliRun(int exitCode, String out) {
  /** Serialised: the CLI prints to System.out, which is swapped while it runs. */
  public static synchronized CliRun of(String... args) {
    PrintStream saved = System.out;
    ByteArrayOutputStream buffer = new ByteArrayOutputStream();
    System.setOut(new PrintStream(buffer, true, StandardCharsets.UTF_8));
    try {
      int code = Main.run(args);
      return new CliRun(code, buffer.toString(StandardCharsets.UTF_8));
    } finally {
      System.setOut(saved);
    }
  }
}
