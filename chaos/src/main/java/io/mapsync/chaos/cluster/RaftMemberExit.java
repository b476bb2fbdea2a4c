package io.mapsync.chaos.cluster;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

/**
 * Recognises an agent that stopped itself because its Raft member died or its disk failed (full):
 * exit code 3 (the store's) and its one-line error in the log. That is the agent doing its job (a
 * supervisor restarts it and it resumes from disk), not a crash.
 */
final class RaftMemberExit {
  static final int STORE_EXIT_CODE = 3;
  private static final String ERROR = "mapsync: store: ";
  private static final String MARK = "the Raft member failed";
  static final String STORAGE = "STORAGE: data dir ";

  private RaftMemberExit() {}

  /**
   * The agent's error line if the latest incarnation logged in {@code log} ended this way, else
   * empty.
   */
  static String of(int exitCode, Path log) {
    if (exitCode != STORE_EXIT_CODE) {
      return "";
    }
    try (Stream<String> lines = Files.lines(log)) {
      String found = "";
      for (String line : (Iterable<String>) lines::iterator) {
        if (line.contains("[chaos]") && line.contains(": starting:")) {
          found = "";
        } else if (line.startsWith(ERROR) && (line.contains(MARK) || line.contains(STORAGE))) {
          found = line.strip();
        }
      }
      return found;
    } catch (IOException | UncheckedIOException e) {
      return "";
    }
  }
}
