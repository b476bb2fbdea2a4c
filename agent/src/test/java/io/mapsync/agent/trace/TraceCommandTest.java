package io.mapsync.agent.trace;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mapsync.bpf.BpfMap;
import io.mapsync.bpf.BpfMapSpec;
import io.mapsync.bpf.BpfMapType;
import io.mapsync.bpf.testing.MapWriter;
import io.mapsync.bpf.testing.NoFdLeaks;
import io.mapsync.bpf.testing.Require;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import picocli.CommandLine;

@ExtendWith(NoFdLeaks.class)
class TraceCommandTest {

  @Test
  void printsOneJsonLinePerChangeOfAPinnedMap() throws Exception {
    Require.tracepoints();
    Path pin = Path.of("/sys/fs/bpf/mapsync-test-trace-" + ProcessHandle.current().pid());
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    try (BpfMap map = BpfMap.create(BpfMapSpec.of("t_trace", BpfMapType.HASH, 4, 4, 8));
        MapWriter writer = new MapWriter()) {
      map.pin(pin);
      CommandLine cli =
          new CommandLine(new TraceCommand())
              .setOut(new PrintWriter(out))
              .setErr(new PrintWriter(err));
      AtomicInteger exit = new AtomicInteger(-1);
      Thread trace =
          new Thread(
              () ->
                  exit.set(
                      cli.execute(
                          "--map",
                          pin.toString(),
                          "--tier",
                          "syscall",
                          "--count",
                          "2",
                          "--duration",
                          "20s")));
      trace.start();
      long deadline = System.nanoTime() + 10_000_000_000L;
      while (!err.toString().contains("tracing map") && System.nanoTime() < deadline) {
        Thread.sleep(10);
      }
      assertEquals("ok", writer.send("update " + map.id() + " 01000000 0a000000 ANY"));
      assertEquals("ok", writer.send("delete " + map.id() + " 01000000"));
      trace.join(20_000);
      assertEquals(0, exit.get(), err.toString());
      String[] lines = out.toString().strip().split("\n");
      assertEquals(2, lines.length, out.toString());
      assertEquals(
          "{\"tier\":\"syscall\",\"map\":\"t_trace\",\"map_id\":"
              + map.id()
              + ",\"op\":\"put\",\"key\":\"01000000\",\"value\":\"0a000000\",\"pid\":"
              + writer.pid()
              + ",\"ts_ns\":",
          lines[0].substring(0, lines[0].indexOf("\"ts_ns\":") + 8));
      assertTrue(
          lines[1].contains("\"op\":\"delete\",\"key\":\"01000000\",\"value\":null"), lines[1]);
    } finally {
      Files.deleteIfExists(pin);
    }
  }

  @Test
  void rejectsAnUnknownTier() {
    StringWriter err = new StringWriter();
    int code =
        new CommandLine(new TraceCommand())
            .setErr(new PrintWriter(err))
            .execute("--map-id", "1", "--tier", "kprobe");
    assertEquals(2, code);
    assertTrue(err.toString().contains("--tier must be"), err.toString());
  }
}
