package io.mapsync.chaos.check;

import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.List;
import org.junit.jupiter.api.Test;

class KnownIssuesTest {
  @Test
  void onlyTheExactCheckAndKindMatch() {
    for (KnownIssues.Issue i : KnownIssues.OPEN) {
      assertNotNull(KnownIssues.match(new Violation(i.check(), i.kind(), "x", List.of())));
      assertNull(KnownIssues.match(new Violation(i.check(), "another-kind", "x", List.of())));
    }
    assertNull(KnownIssues.match(new Violation("convergence", "x", List.of())));
  }
}
