package io.mapsync.bench.capture;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mapsync.bpf.testing.NoFdLeaks;
import io.mapsync.bpf.testing.Require;
import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import picocli.CommandLine;

/**
 * The benchmark runs end to end on small sizes, loses no update, and prints JSON then the table.
 */
@ExtendWith(NoFdLeaks.class)
class CaptureBenchCommandTest {

  @Test
  void quickRunCapturesEveryUpdateAndPrintsJsonAndTable() {
    Require.tracepoints();
    StringWriter out = new StringWriter();
    int code =
        new CommandLine(new CaptureBenchCommand())
            .setOut(new PrintWriter(out))
            .execute("--quick", "--only", "update,scan");
    String[] lines = out.toString().split("\n");
    assertEquals(0, code, out.toString());
    assertTrue(
        lines[0].startsWith("{\"benchmark\":\"capture\"") && lines[0].endsWith("}"), lines[0]);
    assertTrue(lines[0].contains("\"delivered\":20000,\"expected\":20000"), lines[0]);
    assertTrue(out.toString().contains("added CPU time per captured update"), out.toString());
    assertTrue(out.toString().contains("scan (dump + diff) per 1M entries"), out.toString());
  }
}
