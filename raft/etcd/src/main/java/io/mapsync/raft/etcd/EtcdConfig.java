package io.mapsync.raft.etcd;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * How to reach an etcd cluster (or mapsync's etcd v3 API facade) and use it as the log.
 *
 * @param endpoints client URLs of the members, e.g. {@code http://10.0.0.1:2379}; "host:port" is
 *     read as http
 * @param prefix a key prefix isolating this mapsync cluster inside a shared etcd, e.g. {@code
 *     /clusters/lb}; empty for none. Keys become {@code <prefix>/mapsync/...}
 * @param attemptTimeout the deadline of one RPC; a call to a dead or partitioned member fails after
 *     it and is retried on another
 * @param operationTimeout how long one store operation keeps retrying (leader loss, member down)
 *     before it fails with NO_LEADER, TIMEOUT or UNAVAILABLE
 * @param maxTxnOps the cluster's {@code --max-txn-ops} (etcd's default is 128): a batch may touch
 *     at most this many keys minus one (the origin marker)
 * @param readPageSize keys per page when reading maps
 * @param loadBalancing gRPC load balancing over the endpoints: {@code round_robin} spreads calls,
 *     {@code pick_first} keeps one member until it fails
 */
public record EtcdConfig(
    List<String> endpoints,
    String prefix,
    Duration attemptTimeout,
    Duration operationTimeout,
    int maxTxnOps,
    int readPageSize,
    String loadBalancing) {

  /** The configuration keys, as the agent's configuration file spells them. */
  public static final String ENDPOINTS = "etcd.endpoints";

  public static final String PREFIX = "etcd.prefix";
  public static final String ATTEMPT_TIMEOUT = "etcd.attempt-timeout";
  public static final String OPERATION_TIMEOUT = "etcd.operation-timeout";
  public static final String MAX_TXN_OPS = "etcd.max-txn-ops";
  public static final String READ_PAGE_SIZE = "etcd.read-page-size";
  public static final String LOAD_BALANCING = "etcd.load-balancing";

  public static final Duration DEFAULT_ATTEMPT_TIMEOUT = Duration.ofSeconds(5);
  public static final Duration DEFAULT_OPERATION_TIMEOUT = Duration.ofSeconds(30);
  public static final int DEFAULT_MAX_TXN_OPS = 128;
  public static final int DEFAULT_READ_PAGE_SIZE = 1000;
  public static final String DEFAULT_LOAD_BALANCING = "round_robin";

  public EtcdConfig {
    if (endpoints == null || endpoints.isEmpty()) {
      throw new IllegalArgumentException(ENDPOINTS + " needs at least one endpoint");
    }
    endpoints = endpoints.stream().map(EtcdConfig::normalizeEndpoint).toList();
    prefix = prefix == null ? "" : prefix;
    if (!prefix.isEmpty() && (!prefix.startsWith("/") || prefix.endsWith("/"))) {
      throw new IllegalArgumentException(
          PREFIX
              + " must start with '/' and not end with '/' (e.g. /clusters/lb), got '"
              + prefix
              + "'");
    }
    requirePositive(ATTEMPT_TIMEOUT, attemptTimeout);
    requirePositive(OPERATION_TIMEOUT, operationTimeout);
    if (maxTxnOps < 2) {
      throw new IllegalArgumentException(MAX_TXN_OPS + " must be at least 2, got " + maxTxnOps);
    }
    if (readPageSize < 1) {
      throw new IllegalArgumentException(READ_PAGE_SIZE + " must be positive, got " + readPageSize);
    }
    if (!"round_robin".equals(loadBalancing) && !"pick_first".equals(loadBalancing)) {
      throw new IllegalArgumentException(
          LOAD_BALANCING + " is round_robin or pick_first, got '" + loadBalancing + "'");
    }
  }

  /** Every setting at its default, for these endpoints. */
  public static EtcdConfig of(String... endpoints) {
    return new EtcdConfig(
        Arrays.asList(endpoints),
        "",
        DEFAULT_ATTEMPT_TIMEOUT,
        DEFAULT_OPERATION_TIMEOUT,
        DEFAULT_MAX_TXN_OPS,
        DEFAULT_READ_PAGE_SIZE,
        DEFAULT_LOAD_BALANCING);
  }

  /**
   * Reads the {@code etcd.*} keys; missing keys take their defaults. Durations are ISO-8601 ({@code
   * PT5S}) or milliseconds ({@code 5000ms}).
   */
  public static EtcdConfig fromProperties(Map<String, String> props) {
    String endpoints = props.get(ENDPOINTS);
    if (endpoints == null || endpoints.isBlank()) {
      throw new IllegalArgumentException(ENDPOINTS + " is required (comma-separated client URLs)");
    }
    List<String> list = new ArrayList<>();
    for (String e : endpoints.split(",")) {
      if (!e.isBlank()) {
        list.add(e.trim());
      }
    }
    return new EtcdConfig(
        list,
        props.getOrDefault(PREFIX, ""),
        duration(props, ATTEMPT_TIMEOUT, DEFAULT_ATTEMPT_TIMEOUT),
        duration(props, OPERATION_TIMEOUT, DEFAULT_OPERATION_TIMEOUT),
        integer(props, MAX_TXN_OPS, DEFAULT_MAX_TXN_OPS),
        integer(props, READ_PAGE_SIZE, DEFAULT_READ_PAGE_SIZE),
        props.getOrDefault(LOAD_BALANCING, DEFAULT_LOAD_BALANCING));
  }

  public EtcdConfig withPrefix(String newPrefix) {
    return new EtcdConfig(
        endpoints,
        newPrefix,
        attemptTimeout,
        operationTimeout,
        maxTxnOps,
        readPageSize,
        loadBalancing);
  }

  public EtcdConfig withTimeouts(Duration attempt, Duration operation) {
    return new EtcdConfig(
        endpoints, prefix, attempt, operation, maxTxnOps, readPageSize, loadBalancing);
  }

  public EtcdConfig withMaxTxnOps(int ops) {
    return new EtcdConfig(
        endpoints, prefix, attemptTimeout, operationTimeout, ops, readPageSize, loadBalancing);
  }

  public EtcdConfig withReadPageSize(int size) {
    return new EtcdConfig(
        endpoints, prefix, attemptTimeout, operationTimeout, maxTxnOps, size, loadBalancing);
  }

  public EtcdConfig withLoadBalancing(String policy) {
    return new EtcdConfig(
        endpoints, prefix, attemptTimeout, operationTimeout, maxTxnOps, readPageSize, policy);
  }

  /** The most deltas (distinct keys) one batch may carry: one txn op is the origin marker. */
  public int maxKeysPerBatch() {
    return maxTxnOps - 1;
  }

  private static String normalizeEndpoint(String endpoint) {
    String e = endpoint.trim();
    if (!e.contains("://")) {
      e = "http://" + e;
    }
    URI uri = URI.create(e);
    if (uri.getHost() == null || uri.getPort() < 0) {
      throw new IllegalArgumentException(
          "endpoint '" + endpoint + "' needs a host and a port, e.g. http://10.0.0.1:2379");
    }
    if (!"http".equals(uri.getScheme()) && !"https".equals(uri.getScheme())) {
      throw new IllegalArgumentException(
          "endpoint '" + endpoint + "': use http:// or https:// (with tls: set)");
    }
    return e;
  }

  private static void requirePositive(String key, Duration d) {
    if (d == null || d.isNegative() || d.isZero()) {
      throw new IllegalArgumentException(key + " must be a positive duration, got " + d);
    }
  }

  private static Duration duration(Map<String, String> props, String key, Duration def) {
    String v = props.get(key);
    if (v == null || v.isBlank()) {
      return def;
    }
    v = v.trim();
    try {
      return v.endsWith("ms")
          ? Duration.ofMillis(Long.parseLong(v.substring(0, v.length() - 2)))
          : Duration.parse(v);
    } catch (RuntimeException e) {
      throw new IllegalArgumentException(
          key + " must be a duration like PT5S or 5000ms, got '" + v + "'", e);
    }
  }

  private static int integer(Map<String, String> props, String key, int def) {
    String v = props.get(key);
    if (v == null || v.isBlank()) {
      return def;
    }
    try {
      return Integer.parseInt(v.trim());
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(key + " must be an integer, got '" + v + "'", e);
    }
  }
}
