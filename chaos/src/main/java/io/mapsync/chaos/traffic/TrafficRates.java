package io.mapsync.chaos.traffic;

/**
 * How hard the traffic pushes. Small key spaces on purpose: writers on different agents hit the
 * same keys within milliseconds, which is where replication races live.
 *
 * @param mapOpsPerSecond bpf() writes per second into each agent's map
 * @param mapKeys keys the network-function writers share
 * @param clientOpsPerSecond puts and deletes per second of each client
 * @param clientKeysEach keys each client owns
 */
public record TrafficRates(int mapOpsPerSecond, int mapKeys, int clientOpsPerSecond, int clientKeysEach) {
  public static TrafficRates defaults() {
    return new TrafficRates(100, 64, 20, 16);
  }
}
