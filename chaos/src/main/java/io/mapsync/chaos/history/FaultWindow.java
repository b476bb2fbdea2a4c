package io.mapsync.chaos.history;

/**
 * When one fault was in place, on the run's clock: the figures (time to the first write after it,
 * time to converge after its heal) are measured from these.
 *
 * @param fault its name: kill-leader, partition-follower, ...
 * @param injectedMs when it took effect
 * @param healedMs when it was undone (-1 while in place)
 */
public record FaultWindow(String fault, long injectedMs, long healedMs) {}
