package io.mapsync.chaos.check;

import java.util.ArrayList;
import java.util.List;

/**
 * A running agent keeps proposing: its own store client never refuses its batches as CLOSED (the
 * member is not closed; the refusal drops the batch for good, so the network function's writes in
 * it reach no other host until anti-entropy overwrites them).
 */
final class ProposalsCheck implements Check {
  static final String CLIENT_CLOSED = "client-closed";

  @Override
  public String name() {
    return "proposals";
  }

  @Override
  public List<Violation> check(Evidence e) {
    List<Violation> out = new ArrayList<>();
    for (MemberState m : e.members()) {
      if (m.closedProposals() > 0) {
        out.add(
            new Violation(
                name(),
                CLIENT_CLOSED,
                m.member()
                    + "'s store client refused "
                    + m.closedProposals()
                    + " batch(es) as CLOSED while the agent was running",
                List.of(
                    "mapsync_propose_failures_total{reason=\"CLOSED\"} = " + m.closedProposals(),
                    "the agent logs 'the store refused batch ... CLOSED'; its captured writes in those batches were dropped")));
      }
    }
    return out;
  }
}
