package io.mapsync.chaos.check;

import java.util.ArrayList;
import java.util.List;

/**
 * Every agent, once traffic stopped and faults healed, applied the log up to the store's revision.
 * A member that is running but never catches up is worse than a crash (nothing restarts it); its
 * kind says whether its log shows why: "raft-member-failed" when its Ratis member stopped on an
 * internal error, "stuck" otherwise.
 */
final class CaughtUpCheck implements Check {
  static final String RAFT_MEMBER_FAILED = "raft-member-failed";

  @Override
  public String name() {
    return "caught-up";
  }

  @Override
  public List<Violation> check(Evidence e) {
    List<Violation> out = new ArrayList<>();
    for (MemberState m : e.members()) {
      if (m.appliedRevision() >= e.store().revision() && m.raftFailure().isEmpty()) {
        continue;
      }
      String where =
          m.appliedRevision() < 0
              ? "its metrics did not answer"
              : "applied revision "
                  + m.appliedRevision()
                  + " of the store's "
                  + e.store().revision();
      List<String> details =
          new ArrayList<>(List.of(where, "pending local writes: " + m.pendingWrites()));
      if (!m.raftFailure().isEmpty()) {
        details.add("its log: " + m.raftFailure());
      }
      out.add(
          new Violation(
              name(),
              m.raftFailure().isEmpty() ? "stuck" : RAFT_MEMBER_FAILED,
              m.member() + " is running but did not catch up",
              details));
    }
    return out;
  }
}
