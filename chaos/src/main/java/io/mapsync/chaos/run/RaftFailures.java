package io.mapsync.chaos.run;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/**
 * Reads what a member's log says about its latest incarnation: whether its Ratis member stopped on
 * an internal error while the agent process goes on (the log worker's "hit exception", or requests
 * refused because the member is CLOSING), and where its agent resynced its maps from a snapshot.
 * (Lines of Ratis's and the agent's own logging; a rewording makes these come back empty, and the
 * checks then report the consequences without naming the cause.)
 */
final class RaftFailures {
  private static final java.util.regex.Pattern INSTALLED =
      java.util.regex.Pattern.compile("map '[^']+' installed at revision (\\d+)");
  private static final List<String> MARKS =
      List.of(
          "SegmentedRaftLogWorker hit exception",
          "current state is CLOSING",
          "StateMachineUpdater caught a Throwable");

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

  /** Revisions of the resyncs (snapshot installs after a lost watch) of the latest incarnation. */
  static List<Long> resyncs(Path log) {
    List<Long> out = new java.util.ArrayList<>();
    try (Stream<String> lines = Files.lines(log)) {
      boolean lost = false;
      for (String line : (Iterable<String>) lines::iterator) {
        if (line.contains("[chaos]") && line.contains(": starting:")) {
          out.clear();
          lost = false;
        } else if (line.contains("lost the log watch")) {
          lost = true;
        } else if (lost) {
          java.util.regex.Matcher m = INSTALLED.matcher(line);
          if (m.find()) {
            out.add(Long.parseLong(m.group(1)));
            lost = false;
          }
        }
      }
    } catch (IOException | java.io.UncheckedIOException e) {
      return List.of();
    }
    return out;
  }
}
