package io.mapsync.examples.lb;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A service's index table: SLOTS slots shared out among its backends by weight (largest remainder,
 * at least one each). Recomputed from the previous table, it keeps every slot whose backend is
 * still there and within its share, and hands out only the freed slots, so a change moves the
 * fewest new flows; flows already running never move (their sessions pin them).
 */
public final class SlotTable {
  private SlotTable() {}

  /**
   * The new table, each slot naming a backend; previous may be empty (a new service) or hold
   * removed backends.
   */
  public static <B> List<B> assign(List<B> previous, Map<B, Integer> weights, int slots) {
    Map<B, Integer> quota = quotas(weights, slots);
    Map<B, Integer> kept = new LinkedHashMap<>();
    weights.keySet().forEach(b -> kept.put(b, 0));
    List<B> table = new ArrayList<>();
    for (int i = 0; i < slots; i++) {
      B b = i < previous.size() ? previous.get(i) : null;
      if (b != null && quota.containsKey(b) && kept.get(b) < quota.get(b)) {
        kept.merge(b, 1, Integer::sum);
        table.add(b);
      } else {
        table.add(null);
      }
    }
    for (int i = 0; i < slots; i++) {
      if (table.get(i) == null) {
        B neediest = null;
        for (B b :
            weights.keySet()) { // the backend furthest below its share, first in order on a tie
          if (neediest == null
              || quota.get(b) - kept.get(b) > quota.get(neediest) - kept.get(neediest)) {
            neediest = b;
          }
        }
        kept.merge(neediest, 1, Integer::sum);
        table.set(i, neediest);
      }
    }
    return table;
  }

  static <B> Map<B, Integer> quotas(Map<B, Integer> weights, int slots) {
    List<B> backends = new ArrayList<>(weights.keySet());
    long total = weights.values().stream().mapToLong(Integer::longValue).sum();
    int[] share = new int[backends.size()];
    double[] rest = new double[backends.size()];
    int given = 0;
    for (int i = 0; i < share.length; i++) {
      double exact = (double) weights.get(backends.get(i)) * slots / total;
      share[i] = Math.max(1, (int) Math.floor(exact));
      rest[i] = exact - Math.floor(exact);
      given += share[i];
    }
    while (given < slots) { // largest remainder first
      int best = 0;
      for (int i = 1; i < share.length; i++) {
        best = rest[i] > rest[best] ? i : best;
      }
      share[best]++;
      rest[best] = -1;
      given++;
      if (Arrays.stream(rest).allMatch(r -> r < 0)) {
        Arrays.fill(rest, 0);
      }
    }
    while (given > slots) { // the minimum of one each overshot: take from the largest
      int big = 0;
      for (int i = 1; i < share.length; i++) {
        big = share[i] > share[big] ? i : big;
      }
      share[big]--;
      given--;
    }
    Map<B, Integer> out = new LinkedHashMap<>();
    for (int i = 0; i < share.length; i++) {
      out.put(backends.get(i), share[i]);
    }
    return out;
  }
}
