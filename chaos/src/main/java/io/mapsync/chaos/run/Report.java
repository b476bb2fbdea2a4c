package io.mapsync.chaos.run;

import io.mapsync.chaos.check.KnownIssues;
import io.mapsync.chaos.check.Violation;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * The outcome of a run: the violations (empty when every promise held), the violations that are
 * instances of known open bugs (listed, not failing), and the figures that say the run did exercise
 * something (faults injected, operations acknowledged).
 *
 * @param faultsInjected how many faults were injected and healed
 * @param acknowledged client operations the store acknowledged
 * @param mapWrites bpf() writes the kernel accepted
 * @param watchResyncs per member, how often its watch was told "compacted" and resynced: the sign
 *     that the member's replica was replaced by a snapshot while it ran
 * @param lines the summary, printed and written to report.txt in {@code dir}
 * @param figures the numbers `mapsync chaos` prints per scenario
 */
public record Report(
    String name,
    long seed,
    List<Violation> violations,
    List<Violation> known,
    int faultsInjected,
    long acknowledged,
    long mapWrites,
    Map<String, Integer> watchResyncs,
    List<String> lines,
    Path dir,
    Figures figures) {

  private static final int SHOWN_PER_KIND = 5;

  public boolean passed() {
    return violations.isEmpty();
  }

  @Override
  public String toString() {
    StringBuilder sb = new StringBuilder();
    sb.append("chaos run '")
        .append(name)
        .append("' seed ")
        .append(seed)
        .append(": ")
        .append(passed() ? "PASSED" : violations.size() + " VIOLATION(S)")
        .append(known.isEmpty() ? "" : ", " + known.size() + " known open issue(s)")
        .append('\n');
    lines.forEach(l -> sb.append("  ").append(l).append('\n'));
    Map<String, Integer> shown = new java.util.HashMap<>();
    Map<String, Integer> total = new java.util.TreeMap<>();
    violations.forEach(v -> total.merge(v.check() + "/" + v.kind(), 1, Integer::sum));
    for (Violation v : violations) {
      String kind = v.check() + "/" + v.kind();
      if (shown.merge(kind, 1, Integer::sum) <= SHOWN_PER_KIND) {
        sb.append("  ").append(v).append('\n');
      }
    }
    total.forEach(
        (kind, n) -> {
          if (n > SHOWN_PER_KIND) {
            sb.append("  ... and ")
                .append(n - SHOWN_PER_KIND)
                .append(" more ")
                .append(kind)
                .append(" (all in violations.txt)\n");
          }
        });
    for (Violation v : known) {
      sb.append("  known, ")
          .append(KnownIssues.match(v).bug())
          .append(": ")
          .append(v.summary())
          .append('\n');
      v.details().stream().limit(2).forEach(d -> sb.append("      ").append(d).append('\n'));
    }
    sb.append("  files: ").append(dir);
    return sb.toString();
  }
}
