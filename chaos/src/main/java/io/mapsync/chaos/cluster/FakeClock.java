package io.mapsync.chaos.cluster;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * One member's wall clock moved by libfaketime (Debian's libfaketime): its agent runs with the
 * library preloaded and reads its offset and rate ({@code "+1h x2"}, {@code "-1d x0.5"}) from a
 * file the harness rewrites, so a fault can jump or skew that member's clock while it runs. Only
 * CLOCK_REALTIME is faked: the monotonic clock, which Ratis's timers and mapsync's timeouts use,
 * stays the kernel's, as on a host whose NTP steps or slews the wall clock.
 *
 * @param member the lab member whose clock is faked ("" for none)
 * @param start its offset and rate from its first start
 */
public record FakeClock(String member, String start) {
  public static final FakeClock NONE = new FakeClock("", "");

  /** Where Debian installs the preload library, on any architecture. */
  public static Optional<Path> library() {
    try (Stream<Path> dirs = Files.list(Path.of("/usr/lib"))) {
      return dirs.map(d -> d.resolve("faketime").resolve("libfaketime.so.1"))
          .filter(Files::isRegularFile)
          .findFirst();
    } catch (IOException e) {
      return Optional.empty();
    }
  }

  /** The agent's environment: the library, the file, re-read every second. */
  static Map<String, String> environment(Path file) {
    Path lib =
        library()
            .orElseThrow(
                () ->
                    new IllegalStateException(
                        "libfaketime.so.1 not found under /usr/lib/*/faketime: apt-get install"
                            + " libfaketime"));
    return Map.of(
        "LD_PRELOAD", lib.toString(),
        "FAKETIME_TIMESTAMP_FILE", file.toString(),
        "FAKETIME_CACHE_DURATION", "1",
        "FAKETIME_DONT_FAKE_MONOTONIC", "1",
        // without it the JVM's first timed wait never returns once the rate is not 1 (0.9.10)
        "FAKETIME_FORCE_MONOTONIC_FIX", "1");
  }

  /** Sets the member's offset and rate; its agent sees it within a second. */
  static void set(Path file, String spec) throws IOException {
    Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
    Files.writeString(tmp, spec + "\n");
    Files.move(tmp, file, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
  }
}
