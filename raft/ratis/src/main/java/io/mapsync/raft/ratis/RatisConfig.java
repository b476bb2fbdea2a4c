package io.mapsync.raft.ratis;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * How to start one embedded Ratis member: who it is, whom it starts with, where it keeps its data.
 *
 * @param nodeId this member's id (e.g. n1); also its Raft peer id
 * @param peers id to host:port of the initial members, voters and listeners alike. It includes this
 *     member, unless {@code join} is set: then it lists members of the running cluster to contact
 * @param listeners ids (in {@code peers}) that start as listeners: they receive the log, never vote
 * @param dataDir this member's own directory (Raft log, snapshots, marker file)
 * @param transport gRPC or Netty between members and from clients
 * @param join true to start outside the configuration and wait until a member adds this one
 * @param address this member's host:port; null means {@code peers.get(nodeId)}
 * @param clientAddresses id to host:port of each member's client (etcd API) port, where known
 * @param clusterName names the Raft group; members of one cluster must agree on it
 * @param settings overrides: Ratis keys ({@code raft.*}) and mapsync keys ({@code mapsync.*}), see
 *     {@link RatisSettings}
 */
public record RatisConfig(
    String nodeId,
    Map<String, String> peers,
    Set<String> listeners,
    Path dataDir,
    Transport transport,
    boolean join,
    String address,
    Map<String, String> clientAddresses,
    String clusterName,
    Map<String, String> settings) {

  private static final Pattern ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.-]{0,63}");
  public static final String DEFAULT_CLUSTER = "mapsync";

  public RatisConfig {
    Objects.requireNonNull(nodeId, "nodeId");
    Objects.requireNonNull(dataDir, "dataDir");
    peers = Map.copyOf(peers == null ? Map.of() : peers);
    listeners = Set.copyOf(listeners == null ? Set.of() : listeners);
    clientAddresses = Map.copyOf(clientAddresses == null ? Map.of() : clientAddresses);
    settings = Map.copyOf(settings == null ? Map.of() : settings);
    transport = transport == null ? Transport.GRPC : transport;
    clusterName = clusterName == null || clusterName.isBlank() ? DEFAULT_CLUSTER : clusterName;
    address = address == null ? peers.get(nodeId) : address;
    validate(nodeId, peers, listeners, join, address);
  }

  private static void validate(
      String nodeId,
      Map<String, String> peers,
      Set<String> listeners,
      boolean join,
      String address) {
    for (String id : peers.keySet()) {
      if (!ID.matcher(id).matches()) {
        throw new IllegalArgumentException(
            "member id '" + id + "' must be 1-64 letters, digits, '_', '.' or '-'");
      }
    }
    if (!ID.matcher(nodeId).matches()) {
      throw new IllegalArgumentException(
          "node id '" + nodeId + "' must be 1-64 letters, digits, '_', '.' or '-'");
    }
    if (address == null) {
      throw new IllegalArgumentException(
          "no address for " + nodeId + ": list it in peers or set address");
    }
    peers.values().forEach(RatisConfig::port);
    port(address);
    if (!join && !peers.containsKey(nodeId)) {
      throw new IllegalArgumentException(
          nodeId
              + " is not in the initial peers "
              + peers.keySet()
              + ": add it, or start it in join mode and add it from a running member");
    }
    if (join && peers.isEmpty()) {
      throw new IllegalArgumentException(
          "join mode needs the address of at least one running member in peers");
    }
    for (String l : listeners) {
      if (!peers.containsKey(l) && !l.equals(nodeId)) {
        throw new IllegalArgumentException(
            "listener '" + l + "' is not one of the peers " + peers.keySet());
      }
    }
    if (!join && peers.keySet().stream().allMatch(listeners::contains)) {
      throw new IllegalArgumentException(
          "the initial peers need at least one voter; all are listeners");
    }
  }

  /** The port of a host:port address; throws a readable error if it is not one. */
  static int port(String hostPort) {
    int colon = hostPort.lastIndexOf(':');
    try {
      int port = Integer.parseInt(hostPort.substring(colon + 1));
      if (colon <= 0 || port <= 0 || port > 65535) {
        throw new NumberFormatException();
      }
      return port;
    } catch (NumberFormatException | StringIndexOutOfBoundsException e) {
      throw new IllegalArgumentException("'" + hostPort + "' is not host:port");
    }
  }

  /** The host of a host:port address. */
  static String host(String hostPort) {
    return hostPort.substring(0, hostPort.lastIndexOf(':'));
  }

  /** True if this member starts as a listener. */
  public boolean listener() {
    return listeners.contains(nodeId);
  }

  /** A config with some settings changed (later entries win). */
  public RatisConfig withSettings(Map<String, String> more) {
    Map<String, String> merged = new LinkedHashMap<>(settings);
    merged.putAll(more);
    return new RatisConfig(
        nodeId,
        peers,
        listeners,
        dataDir,
        transport,
        join,
        address,
        clientAddresses,
        clusterName,
        merged);
  }

  public static Builder builder(String nodeId) {
    return new Builder(nodeId);
  }

  /** Builds a {@link RatisConfig} step by step, e.g. from command-line options. */
  public static final class Builder {
    private final String nodeId;
    private final Map<String, String> peers = new LinkedHashMap<>();
    private final Set<String> listeners = new LinkedHashSet<>();
    private final Map<String, String> clientAddresses = new LinkedHashMap<>();
    private final Map<String, String> settings = new LinkedHashMap<>();
    private Path dataDir;
    private Transport transport = Transport.GRPC;
    private boolean join;
    private String address;
    private String clusterName = DEFAULT_CLUSTER;

    private Builder(String nodeId) {
      this.nodeId = nodeId;
    }

    public Builder peer(String id, String hostPort) {
      peers.put(id, hostPort);
      return this;
    }

    public Builder peers(Map<String, String> all) {
      peers.putAll(all);
      return this;
    }

    public Builder listener(String id) {
      listeners.add(id);
      return this;
    }

    public Builder clientAddress(String id, String hostPort) {
      clientAddresses.put(id, hostPort);
      return this;
    }

    public Builder dataDir(Path dir) {
      this.dataDir = dir;
      return this;
    }

    public Builder transport(Transport t) {
      this.transport = t;
      return this;
    }

    public Builder join(boolean j) {
      this.join = j;
      return this;
    }

    public Builder address(String hostPort) {
      this.address = hostPort;
      return this;
    }

    public Builder clusterName(String name) {
      this.clusterName = name;
      return this;
    }

    public Builder set(String key, String value) {
      settings.put(key, value);
      return this;
    }

    public Builder settings(Map<String, String> all) {
      settings.putAll(all);
      return this;
    }

    public RatisConfig build() {
      return new RatisConfig(
          nodeId,
          peers,
          listeners,
          dataDir,
          transport,
          join,
          address,
          clientAddresses,
          clusterName,
          settings);
    }
  }
}
