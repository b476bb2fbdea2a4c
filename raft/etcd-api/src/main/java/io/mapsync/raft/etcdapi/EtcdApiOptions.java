package io.mapsync.raft.etcdapi;

import java.time.Duration;
import java.util.Objects;
import java.util.Set;

/**
 * Settings of the etcd v3 API facade.
 *
 * @param clusterName hashed into the cluster_id of every response header; every member of one
 *     cluster must use the same name (the agent passes its Raft group id)
 * @param progressNotifyInterval how often a watch created with progress_notify hears the current
 *     revision when it had no events (etcd: 10 minutes)
 * @param leaseCheckInterval how often the leader looks for expired leases
 * @param minLeaseTtlSeconds grants asking for less get this TTL, as etcd raises short TTLs to one
 *     that survives a leader election
 * @param statusRefreshInterval how often the raft term in response headers is refreshed
 * @param forwardTimeout how long a follower waits for the leader on a forwarded lease call
 * @param readOnlyClients common names of client certificates that may read and watch but not write
 *     (put, delete, txn with writes, compact, lease grant/revoke, member add/remove); only
 *     meaningful with TLS, where the name comes from a certificate the CA signed
 */
public record EtcdApiOptions(
    String clusterName,
    Duration progressNotifyInterval,
    Duration leaseCheckInterval,
    long minLeaseTtlSeconds,
    Duration statusRefreshInterval,
    Duration forwardTimeout,
    Set<String> readOnlyClients) {

  public EtcdApiOptions {
    Objects.requireNonNull(clusterName, "clusterName");
    requirePositive(progressNotifyInterval, "progressNotifyInterval");
    requirePositive(leaseCheckInterval, "leaseCheckInterval");
    requirePositive(statusRefreshInterval, "statusRefreshInterval");
    requirePositive(forwardTimeout, "forwardTimeout");
    readOnlyClients = Set.copyOf(Objects.requireNonNull(readOnlyClients, "readOnlyClients"));
    if (minLeaseTtlSeconds < 1) {
      throw new IllegalArgumentException(
          "minLeaseTtlSeconds must be at least 1, got " + minLeaseTtlSeconds);
    }
  }

  /** etcd's defaults where etcd has one. */
  public static EtcdApiOptions defaults() {
    return new EtcdApiOptions(
        "mapsync",
        Duration.ofMinutes(10),
        Duration.ofMillis(500),
        2,
        Duration.ofSeconds(5),
        Duration.ofSeconds(5),
        Set.of());
  }

  public EtcdApiOptions withClusterName(String name) {
    return new EtcdApiOptions(
        name,
        progressNotifyInterval,
        leaseCheckInterval,
        minLeaseTtlSeconds,
        statusRefreshInterval,
        forwardTimeout,
        readOnlyClients);
  }

  public EtcdApiOptions withProgressNotifyInterval(Duration interval) {
    return new EtcdApiOptions(
        clusterName,
        interval,
        leaseCheckInterval,
        minLeaseTtlSeconds,
        statusRefreshInterval,
        forwardTimeout,
        readOnlyClients);
  }

  public EtcdApiOptions withLeaseCheckInterval(Duration interval) {
    return new EtcdApiOptions(
        clusterName,
        progressNotifyInterval,
        interval,
        minLeaseTtlSeconds,
        statusRefreshInterval,
        forwardTimeout,
        readOnlyClients);
  }

  public EtcdApiOptions withMinLeaseTtlSeconds(long seconds) {
    return new EtcdApiOptions(
        clusterName,
        progressNotifyInterval,
        leaseCheckInterval,
        seconds,
        statusRefreshInterval,
        forwardTimeout,
        readOnlyClients);
  }

  /** Clients whose certificate names one of these may read but not write. */
  public EtcdApiOptions withReadOnlyClients(Set<String> commonNames) {
    return new EtcdApiOptions(
        clusterName,
        progressNotifyInterval,
        leaseCheckInterval,
        minLeaseTtlSeconds,
        statusRefreshInterval,
        forwardTimeout,
        commonNames);
  }

  private static void requirePositive(Duration d, String name) {
    if (d == null || d.isNegative() || d.isZero()) {
      throw new IllegalArgumentException(name + " must be a positive duration, got " + d);
    }
  }
}
