package io.mapsync.lab;

import io.etcd.jetcd.Client;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/** Which member leads, asked of each live member's etcd API (retried while an election runs). */
public final class ClusterLeader {
  private ClusterLeader() {}

  /**
   * @param clients member id to client host:port
   * @param alive which members to ask
   */
  public static String of(Map<String, String> clients, Predicate<String> alive, Duration wait)
      throws InterruptedException {
    long deadline = System.nanoTime() + wait.toNanos();
    while (System.nanoTime() < deadline) {
      for (var e : clients.entrySet()) {
        if (!alive.test(e.getKey())) {
          continue;
        }
        try (Client one = Client.builder().endpoints("http://" + e.getValue()).build()) {
          long leaderId =
              one.getMaintenanceClient()
                  .statusMember("http://" + e.getValue())
                  .get(3, TimeUnit.SECONDS)
                  .getLeader();
          for (var m : one.getClusterClient().listMember().get(3, TimeUnit.SECONDS).getMembers()) {
            if (m.getId() == leaderId) {
              return m.getName();
            }
          }
        } catch (Exception ignored) {
          // no leader yet, or this member is busy: ask the next one
        }
      }
      Thread.sleep(200);
    }
    throw new IllegalStateException("no member reports a leader within " + wait);
  }
}
