package io.mapsync.chaos.run;

import io.mapsync.chaos.check.KnownIssues;
import io.mapsync.chaos.check.Violation;
import java.nio.file.Path;
import java.util.List;

/**
 * The outcome of a run: the violations (empty when every promise held), the violations that are
 * instances of known open bugs (listed, not failing), and the figures that say the run did
 * exercise something (faults injected, operations acknowledged).
 *
 * @param faultsInjected how many faults were injected and healed
 * @param acknowledged client operations the store acknowledged
 * @param mapWrites bpf() writes the kernel accepted
 * @param lines the summary, printed and written to report.txt in {@code dir}
 */
public record Report(String name, long seed, List<Violation> violations, List<Violation> known, int faultsInjected,
    long acknowledged, long mapWrites, List<String> lines, Path dir) {

  public boolean passed() {
    return violations.isEmpty();
  }

  @Override
  public String toString() {
    StringBuilder sb = new StringBuilder();
    sb.append("chaos run '").append(name).append("' seed ").append(seed).append(": ")
        .append(passed() ? "PASSED" : violations.size() + " VIOLATION(S)")
        .append(known.isEmpty() ? "" : ", " + known.size() + " known open issue(s)").append('\n');
    lines.forEach(l -> sb.append("  ").append(l).append('\n'));
    violations.forEach(v -> sb.append("  ").append(v).append('\n'));
    for (Violation v : known) {
      sb.append("  known, ").append(KnownIssues.match(v).bug()).append(": ").append(v.summary()).append('\n');
      v.details().stream().limit(2).forEach(d -> sb.append("      ").append(d).append('\n'));
    }
    sb.append("  files: ").append(dir);
    return sb.toString();
  }
}
