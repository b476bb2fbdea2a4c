package io.mapsync.chaos.check;

import java.util.List;

/**
 * A broken promise, with what is needed to chase it: the check, the kind of problem (a check may
 * find several), one line saying what is wrong (naming the key or member), and the details (the
 * key's history, each replica's value, the events around it).
 */
public record Violation(String check, String kind, String summary, List<String> details) {
  public Violation(String check, String summary, List<String> details) {
    this(check, check, summary, details);
  }

  @Override
  public String toString() {
    StringBuilder sb =
        new StringBuilder("[" + (kind.equals(check) ? check : check + "/" + kind) + "] " + summary);
    details.forEach(d -> sb.append("\n      ").append(d));
    return sb.toString();
  }
}
