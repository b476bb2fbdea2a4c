package io.mapsync.bench.sync;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** A --tls value other than off, on or both is refused before any agent starts, naming them. */
class SyncBenchCommandTest {
  @Test
  void anUnknownTlsModeIsRefusedWithTheChoices() {
    StringWriter err = new StringWriter();
    int code =
        new CommandLine(new SyncBenchCommand())
            .setErr(new PrintWriter(err))
            .execute("--tls", "maybe");
    assertEquals(2, code, err.toString());
    assertTrue(
        err.toString().contains("--tls") && err.toString().contains("[off, on, both]"),
        err.toString());
  }
}
