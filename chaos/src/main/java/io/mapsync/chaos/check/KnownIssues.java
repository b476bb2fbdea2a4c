package io.mapsync.chaos.check;

import java.util.List;

/**
 * Violations the suite has found and reported, whose fix has not landed yet. A run still lists them
 * in its report (as known, with the bug's number in docs/chaos.md) but they do not fail it, so the
 * suite stays a gate for everything else. Each entry names one check and kind exactly; remove it
 * when the fix lands, and the suite then holds the fix in place.
 */
public final class KnownIssues {
  /** A known violation kind and the bug it belongs to. */
  public record Issue(String check, String kind, String bug) {}

  /** Empty when every bug the suite found is fixed. */
  static final List<Issue> OPEN = List.of();

  private KnownIssues() {}

  /** The open issue this violation is an instance of, or null. */
  public static Issue match(Violation v) {
    return OPEN.stream()
        .filter(i -> i.check().equals(v.check()) && i.kind().equals(v.kind()))
        .findFirst()
        .orElse(null);
  }
}
