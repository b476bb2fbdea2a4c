package io.mapsync.examples.lb;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The load balancer's services, as `lb apply` reads them from YAML, checked before a byte reaches
 * the maps: a bad file changes nothing, so the datapath keeps serving what it has.
 *
 * <pre>
 * derive: true                       # optional: translate first replies before their session arrives
 * services:
 *   - name: web
 *     vip: 10.13.13.13:8000
 *     protocols: [tcp, udp]          # optional, default both
 *     backends:
 *       - {address: 10.13.2.11:8080, weight: 2}
 *       - {address: 10.13.2.12:8080} # weight 1
 * </pre>
 */
public record LbConfig(boolean derive, List<Service> services) {
  public static final int MAX_WEIGHT = LbLayout.SLOTS;

  /** A virtual service: one (VIP, protocol, port) per protocol, the same weighted backends. */
  public record Service(
      String name, Endpoint vip, List<String> protocols, List<Backend> backends) {}

  public record Backend(Endpoint address, int weight) {}

  public static LbConfig read(Path file) throws IOException {
    JsonNode root;
    try {
      root = new ObjectMapper(new YAMLFactory()).readTree(file.toFile());
    } catch (IOException e) {
      throw new IllegalArgumentException(file + " is not readable YAML: " + e.getMessage(), e);
    }
    return parse(root, file.toString());
  }

  static LbConfig parse(JsonNode root, String source) {
    if (root == null || !root.isObject() || !root.path("services").isArray()) {
      throw bad(source, "needs a list 'services:' (see docs/example-lb.md)");
    }
    boolean derive = root.path("derive").asBoolean(true);
    List<Service> services = new ArrayList<>();
    for (JsonNode s : root.path("services")) {
      services.add(service(s, source));
    }
    LbConfig config = new LbConfig(derive, List.copyOf(services));
    config.check(source);
    return config;
  }

  /** Builds a one-service configuration from command-line options (LbInstaller --vip/--backend). */
  public static LbConfig single(Endpoint vip, List<Endpoint> backends, boolean derive) {
    List<Backend> list = backends.stream().map(b -> new Backend(b, 1)).toList();
    LbConfig config =
        new LbConfig(derive, List.of(new Service("vip", vip, List.of("tcp", "udp"), list)));
    config.check("the command line");
    return config;
  }

  private static Service service(JsonNode s, String source) {
    String name = s.path("name").asText("");
    if (name.isEmpty()) {
      throw bad(source, "a service has no name: give each service 'name:'");
    }
    String where = "service '" + name + "'";
    Endpoint vip = endpoint(s.path("vip"), source, where + " vip");
    List<String> protocols = new ArrayList<>();
    if (s.has("protocols")) {
      for (JsonNode p : s.path("protocols")) {
        try {
          LbLayout.protocolNumber(p.asText());
        } catch (IllegalArgumentException e) {
          throw bad(source, where + ": " + e.getMessage());
        }
        protocols.add(p.asText());
      }
    } else {
      protocols.addAll(List.of("tcp", "udp"));
    }
    List<Backend> backends = new ArrayList<>();
    for (JsonNode b : s.path("backends")) {
      Endpoint address = endpoint(b.path("address"), source, where + " backend address");
      backends.add(new Backend(address, b.path("weight").asInt(b.has("weight") ? 0 : 1)));
    }
    return new Service(name, vip, List.copyOf(protocols), List.copyOf(backends));
  }

  private static Endpoint endpoint(JsonNode n, String source, String what) {
    try {
      return Endpoint.parse(n.asText(""));
    } catch (IllegalArgumentException e) {
      throw bad(source, what + ": " + e.getMessage() + " (write it as ip:port)");
    }
  }

  private void check(String source) {
    if (services.size() > LbLayout.MAX_SERVICES) {
      throw bad(
          source,
          services.size() + " services; the datapath holds at most " + LbLayout.MAX_SERVICES);
    }
    Map<String, String> claimed = new HashMap<>();
    Map<String, String> origins = new HashMap<>();
    for (Service s : services) {
      String where = "service '" + s.name() + "' (" + s.vip() + ")";
      if (s.protocols().isEmpty()) {
        throw bad(
            source, where + " has no protocols: list tcp, udp or both, or leave 'protocols:' out");
      }
      if (s.backends().isEmpty()) {
        throw bad(
            source,
            where
                + " has no backends: give it at least one under 'backends:', or remove the service");
      }
      if (s.backends().size() > LbLayout.MAX_BACKENDS) {
        throw bad(
            source,
            where + " has " + s.backends().size() + " backends; at most " + LbLayout.MAX_BACKENDS);
      }
      for (Backend b : s.backends()) {
        if (b.weight() < 1 || b.weight() > MAX_WEIGHT) {
          throw bad(
              source,
              where
                  + ": backend "
                  + b.address()
                  + " has weight "
                  + b.weight()
                  + "; weights are 1 to "
                  + MAX_WEIGHT
                  + " (to stop sending it new flows, remove it: its flows stay on it)");
        }
      }
      for (String proto : s.protocols()) {
        String previous = claimed.putIfAbsent(proto + " " + s.vip(), s.name());
        if (previous != null) {
          throw bad(
              source,
              "services '"
                  + previous
                  + "' and '"
                  + s.name()
                  + "' both claim "
                  + proto
                  + " "
                  + s.vip()
                  + ": a (VIP, protocol, port) belongs to one service; change one's vip, port or protocols");
        }
        for (Backend b : s.backends()) {
          String other = origins.putIfAbsent(proto + " " + b.address(), s.name());
          if (other != null && !other.equals(s.name()) && derive) {
            throw bad(
                source,
                "backend "
                    + proto
                    + " "
                    + b.address()
                    + " serves both '"
                    + other
                    + "' and '"
                    + s.name()
                    + "': a reply without a session could not tell which VIP to put back; give it a port per service,"
                    + " or set derive: false");
          }
        }
      }
    }
  }

  private static IllegalArgumentException bad(String source, String message) {
    return new IllegalArgumentException("lb config " + source + ": " + message);
  }
}
