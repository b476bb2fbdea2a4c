package io.mapsync.chaos;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mapsync.chaos.cluster.FakeClock;
import io.mapsync.chaos.run.Report;
import io.mapsync.lab.Prerequisites;
import java.nio.file.Files;
import java.time.LocalTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * One member's wall clock is wrong and jumps (libfaketime: 3 h ahead at double rate, then a day
 * back at half rate) while the leader is killed: election, leases and timeouts run on the monotonic
 * clock, so every check holds. The member's own log proves its clock was moved.
 */
@Tag("long") // minutes of agent JVMs: outside the default run, see docs/operations.md
class ClockSkewTest {
  @BeforeAll
  static void lab() {
    LabRequirements.check();
    Prerequisites.require(
        FakeClock.library().isPresent(),
        "clock-skew needs libfaketime (apt-get install faketime libfaketime)");
  }

  @Test
  void aMemberWithSkewedAndJumpingClocksChangesNothing() throws Exception {
    int hour = LocalTime.now(ZoneOffset.UTC).getHour();
    Report r = Scenarios.runAndCheck("clock-skew");
    assertTrue(
        r.toString().contains("restarted with its clocks at '-1d x0.5' and ready"), r::toString);
    // logback stamps HH:mm:ss.SSS from the wall clock: n3's lines are 3-4 h ahead of the real time
    Set<String> ahead = Set.of(hh(hour + 3), hh(hour + 4));
    List<String> lines = Files.readAllLines(r.dir().resolve("logs").resolve("n3.log"));
    assertTrue(
        lines.stream().anyMatch(l -> l.length() > 12 && ahead.contains(l.substring(0, 2))),
        "n3's log has no line stamped 3-4 h ahead: libfaketime did not move its clock");
  }

  private static String hh(int h) {
    return String.format("%02d", h % 24);
  }
}
