package io.mapsync.chaos.check;

import java.util.ArrayList;
import java.util.BitSet;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Decides whether a history of one register is linearizable: whether its operations can be put in
 * one order, each at an instant between its invocation and its return, in which every read returns
 * the last value written. The search is Wing and Gong's, with Lowe's memoization as Porcupine does
 * it: operations sit in a list of call and return events in time order; the search linearizes a
 * call whose model step succeeds, lifts it out, starts again from the head, and backtracks when it
 * reaches a return it has not linearized. A (set of linearized operations, register value) pair it
 * has already explored is never explored again, which keeps histories with little concurrency
 * linear. A budget of steps bounds it; past that the verdict is inconclusive, never a pass.
 */
public final class WglSearch {
  /** What the search concluded. */
  public enum Verdict {
    LINEARIZABLE,
    NOT_LINEARIZABLE,
    INCONCLUSIVE
  }

  /**
   * @param verdict the answer
   * @param longestPrefix the most operations it managed to linearize
   * @param stuckAt where the deepest attempt got stuck: the operation whose return it could not get
   *     past (null when linearizable)
   * @param steps steps taken
   */
  public record Result(Verdict verdict, int longestPrefix, RegisterOp stuckAt, long steps) {}

  private record Memo(BitSet linearized, int state) {}

  private WglSearch() {}

  /** Searches a linearization of {@code ops} from the register value {@code initial}. */
  public static Result check(List<RegisterOp> ops, int initial, long maxSteps) {
    int n = ops.size();
    // events 0..2n-1: 2i is op i's call, 2i+1 its return; head is the sentinel 2n
    int head = 2 * n;
    int[] next = new int[2 * n + 1];
    int[] prev = new int[2 * n + 1];
    List<Integer> order = new ArrayList<>();
    for (int e = 0; e < 2 * n; e++) {
      order.add(e);
    }
    order.sort(
        (a, b) -> {
          int c = Long.compare(time(ops, a), time(ops, b));
          // at the same instant a call comes first: touching operations count as concurrent
          return c != 0 ? c : Integer.compare(a & 1, b & 1);
        });
    int last = head;
    for (int e : order) {
      next[last] = e;
      prev[e] = last;
      last = e;
    }
    next[last] = -1;

    BitSet linearized = new BitSet(n);
    Set<Memo> seen = new HashSet<>();
    int[] stackOp = new int[n];
    int[] stackState = new int[n];
    int depth = 0;
    int state = initial;
    int best = 0;
    RegisterOp stuck = null;
    long steps = 0;
    int entry = next[head];
    while (next[head] != -1) {
      if (++steps > maxSteps) {
        return new Result(Verdict.INCONCLUSIVE, best, stuck, steps);
      }
      if ((entry & 1) == 0) {
        int i = entry >> 1;
        RegisterOp op = ops.get(i);
        if (op.write() || op.value() == state) {
          int after = op.write() ? op.value() : state;
          linearized.set(i);
          if (seen.add(new Memo((BitSet) linearized.clone(), after))) {
            stackOp[depth] = i;
            stackState[depth++] = state;
            state = after;
            lift(entry, next, prev);
            entry = next[head];
            continue;
          }
          linearized.clear(i);
        }
        entry = next[entry];
      } else {
        if (depth >= best) {
          best = depth;
          stuck = ops.get(entry >> 1);
        }
        if (depth == 0) {
          return new Result(Verdict.NOT_LINEARIZABLE, best, stuck, steps);
        }
        int i = stackOp[--depth];
        state = stackState[depth];
        linearized.clear(i);
        unlift(2 * i, next, prev);
        entry = next[2 * i];
      }
    }
    return new Result(Verdict.LINEARIZABLE, n, null, steps);
  }

  private static long time(List<RegisterOp> ops, int event) {
    RegisterOp op = ops.get(event >> 1);
    return (event & 1) == 0 ? op.invokeMs() : op.completeMs();
  }

  /** Takes a call and its return out of the list. */
  private static void lift(int call, int[] next, int[] prev) {
    next[prev[call]] = next[call];
    prev[next[call]] = prev[call];
    int ret = call + 1;
    next[prev[ret]] = next[ret];
    if (next[ret] != -1) {
      prev[next[ret]] = prev[ret];
    }
  }

  /** Puts them back where they were (the reverse of {@link #lift}). */
  private static void unlift(int call, int[] next, int[] prev) {
    int ret = call + 1;
    next[prev[ret]] = ret;
    if (next[ret] != -1) {
      prev[next[ret]] = ret;
    }
    next[prev[call]] = call;
    prev[next[call]] = call;
  }
}
