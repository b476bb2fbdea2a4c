package io.mapsync.chaos.cluster;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * One member's clocks moved by libfaketime (Debian's libfaketime): its agent runs with the library
 * preloaded and reads an offset and a rate ({@code "+3h x2"}, {@code "-1d x0.5"}) from a file the
 * harness writes before each start. Both its wall clock and its monotonic clock are faked, so its
 * timers run at that rate against the other members' (a skewed host), and its wall clock is hours
 * or a day off. Why not the wall clock alone, and why the offset changes only between starts: with
 * libfaketime 0.9.10 and the monotonic clock left alone (FAKETIME_DONT_FAKE_MONOTONIC=1) the JVM's
 * timed waits (Object.wait, LockSupport.parkNanos) return at once or never, and a new offset read
 * while the process runs moves its monotonic clock back or forth with the wall clock, which no
 * kernel does (docs/chaos.md, clock-jump).
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
    // the file is read once per start: the harness never rewrites it while the agent runs
    return Map.of(
        "LD_PRELOAD", lib.toString(),
        "FAKETIME_TIMESTAMP_FILE", file.toString(),
        "FAKETIME_CACHE_DURATION", "1000000");
  }

  /** Sets the member's offset and rate for its next start. */
  static void set(Path file, String spec) throws IOException {
    Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
    Files.writeString(tmp, spec + "\n");
    Files.move(tmp, file, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
  }
}
