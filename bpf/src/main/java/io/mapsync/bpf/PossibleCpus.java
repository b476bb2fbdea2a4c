package io.mapsync.bpf;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** The number of possible CPUs, which sizes per-CPU values (/sys/devices/system/cpu/possible). */
public final class PossibleCpus {
  private static volatile int count;

  private PossibleCpus() {}

  public static int count() {
    int n = count;
    if (n == 0) {
      try {
        n = parse(Files.readString(Path.of("/sys/devices/system/cpu/possible")).trim());
      } catch (IOException e) {
        throw new UncheckedIOException("cannot read the possible CPUs", e);
      }
      count = n;
    }
    return n;
  }

  /** Parses a CPU list such as "0-3,5,7-8" into the highest CPU number plus one. */
  static int parse(String list) {
    int max = -1;
    for (String part : list.split(",")) {
      String[] range = part.split("-");
      max = Math.max(max, Integer.parseInt(range[range.length - 1].trim()));
    }
    return max + 1;
  }
}
