package io.mapsync.chaos.run;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/**
 * Finds, in a member's log, the mark of its Ratis member having stopped on an internal error
 * while the agent process goes on: the log worker's "hit exception", or requests refused because
 * the member is CLOSING. (Lines of Ratis's own logging; a Ratis upgrade may reword them.)
 */
final class RaftFailures {
  private static final List<String> MARKS = List.of("SegmentedRaftLogWorker hit exception",
      "current state is CLOSING", "StateMachineUpdater caught a Throwable");

  private RaftFailures() {}

  /** The first such line of the latest incarnation (after its last "starting:" note), or empty. */
  static String in(Path log) {
    try (Stream<String> lines = Files.lines(log)) {
      String found = "";
      for (String line : (Iterable<String>) lines::iterator) {
        if (line.contains("[chaos]") && line.contains(": starting:")) {
          found = "";
        } else if (found.isEmpty() && MARKS.stream().anyMatch(line::contains)) {
          found = line.strip();
        }
      }
      return found;
    } catch (IOException | java.io.UncheckedIOException e) {
      return "";
    }
  }
}
