package io.mapsync.chaos.traffic;

/**
 * How hard the traffic pushes. Small key spaces on purpose: writers on different agents hit the
 * same keys within milliseconds, which is where replication races live.
 *
 * @param mapOpsPerSecond bpf() writes per second into each agent's map
 * @param mapKeys keys the network-function writers share
 * @param clientsPerMember etcd API clients per member; each writes one operation at a time
 * @param clientOpsPerSecond the most puts and deletes per second of each client (latency may allow
 *     fewer)
 * @param clientKeysEach keys each client owns
 * @param readsPerSecond the most gets per second of each member's reader (0: no reader)
 */
public record TrafficRates(
    int mapOpsPerSecond,
    int mapKeys,
    int clientsPerMember,
    int clientOpsPerSecond,
    int clientKeysEach,
    int readsPerSecond) {
  public static TrafficRates defaults() {
    return new TrafficRates(100, 64, 1, 20, 16, 20);
  }

  /**
   * More clients: a log that grows fast whatever the put latency (to outrun a partitioned
   * follower).
   */
  public TrafficRates withClientsPerMember(int n) {
    return new TrafficRates(
        mapOpsPerSecond, mapKeys, n, clientOpsPerSecond, clientKeysEach, readsPerSecond);
  }
}
