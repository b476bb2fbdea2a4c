package io.mapsync.agent.cli;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

/** Runs the mapsync CLI in this JVM and keeps what it printed on stdout and stderr. */
public record CliRun(int exitCode, String out, String err) {
  /**
   * Serialised: the CLI prints to System.out and System.err, which are swapped while it runs (so
   * stderr also holds what this JVM logged meanwhile; it is passed on to the real stderr
   * afterwards).
   */
  public static synchronized CliRun of(String... args) {
    PrintStream savedOut = System.out;
    PrintStream savedErr = System.err;
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
    System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
    try {
      int code = Main.run(args);
      return new CliRun(
          code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    } finally {
      System.setOut(savedOut);
      System.setErr(savedErr);
      savedErr.print(err.toString(StandardCharsets.UTF_8));
    }
  }

  /** The lines mapsync itself printed on stderr (log lines start with a timestamp). */
  public java.util.List<String> errorLines() {
    return err.lines().filter(l -> l.startsWith("mapsync: ")).toList();
  }
}
