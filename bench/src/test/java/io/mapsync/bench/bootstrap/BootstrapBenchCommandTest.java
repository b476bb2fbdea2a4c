package io.mapsync.bench.bootstrap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mapsync.bpf.testing.Require;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * The bootstrap bench at a small scale, so the 1M-entry command keeps working; and its refusal of
 * bad sizes.
 */
class BootstrapBenchCommandTest {
  @Test
  void aSmallRunInstallsEveryEntryInBatchesAndWritesItsReport(@TempDir Path dir) throws Exception {
    Require.bpf();
    Path json = dir.resolve("boot.json");
    int rc =
        new CommandLine(new BootstrapBenchCommand())
            .execute("--entries", "10000", "--json", json.toString());
    assertEquals(0, rc);
    String report = Files.readString(json);
    assertTrue(report.contains("\"entries\":10000,"), report);
    // 10 000 entries in chunks of 4096: three BPF_MAP_UPDATE_BATCH calls.
    assertTrue(report.contains("\"batch_calls\":3,"), report);
  }

  @Test
  void tooSmallAKeySizeIsRefusedWithAMessage() {
    assertEquals(2, new CommandLine(new BootstrapBenchCommand()).execute("--key-size", "2"));
  }
}
