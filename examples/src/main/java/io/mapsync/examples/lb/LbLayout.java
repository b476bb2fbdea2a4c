package io.mapsync.examples.lb;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;

/**
 * The bytes of lb.bpf.c's map keys and values, in one place: addresses and ports in network order
 * as they are in packets, counts and timestamps in the host's (little-endian) order.
 */
public final class LbLayout {
  public static final String SERVICES_MAP = "lb_services";
  public static final String BACKENDS_MAP = "lb_backends";
  public static final String SLOTS_MAP = "lb_slots";
  public static final String ORIGINS_MAP = "lb_origins";

  /**
   * The maps the control plane writes (lb apply): replicate them and every LB host serves the same
   * services.
   */
  public static final List<String> CONFIG_MAPS =
      List.of(SERVICES_MAP, BACKENDS_MAP, SLOTS_MAP, ORIGINS_MAP);

  public static final int MAX_SERVICES = 16;
  public static final int SLOTS = 256;
  public static final String SESSIONS_MAP = "lb_sessions";
  public static final String STATS_MAP = "lb_stats";
  public static final int MAX_BACKENDS = 16;
  public static final int SESSION_KEY_SIZE = 16;
  public static final int SESSION_VALUE_SIZE = 16;

  /** The counters of enum lb_counter, in order. */
  public static final List<String> COUNTERS =
      List.of(
          "forwarded",
          "sessions_created",
          "replies_translated",
          "replies_unknown",
          "replies_derived",
          "replies_dropped",
          "sessions_failed",
          "no_backend");

  /**
   * lb_service.flags: translate a reply with no session when the flow's hash picks its sender
   * (LB_DERIVE).
   */
  public static final int FLAG_DERIVE = 1;

  /** lb_services' key for a VIP's ICMP echo: (VIP, port 0, ICMP). */
  public static final int PROTO_ICMP = 1;

  private static final int PROTO_TCP = 6;
  private static final int PROTO_UDP = 17;

  private LbLayout() {}

  /**
   * One entry of lb_sessions: a flow as the backend sees it, and the virtual service its replies
   * come from.
   */
  public record Session(
      String proto, Endpoint client, Endpoint backend, Endpoint vip, long createdNs) {
    @Override
    public String toString() {
      return proto + " " + client + " <-> " + backend + " via " + vip;
    }
  }

  /**
   * session_key.dir: the reply direction (client <-> backend); the other entry pins the request
   * direction.
   */
  public static boolean isReply(byte[] sessionKey) {
    return sessionKey[13] == 0;
  }

  /** An array map's key. */
  public static byte[] index(int i) {
    return buffer(4).putInt(i).array();
  }

  /** struct svc_key, and struct origin_key (the same bytes: an address, a port, a protocol). */
  public static byte[] serviceKey(Endpoint vip, int proto) {
    return buffer(8)
        .put(vip.ip().getAddress())
        .putShort(Short.reverseBytes((short) vip.port()))
        .put((byte) proto)
        .array();
  }

  public static byte[] service(int id, int backendCount, int flags) {
    return buffer(8).putInt(id).putShort((short) backendCount).putShort((short) flags).array();
  }

  public static byte[] backend(Endpoint backend, int weight) {
    return buffer(8)
        .put(backend.ip().getAddress())
        .putShort(Short.reverseBytes((short) backend.port()))
        .putShort((short) weight)
        .array();
  }

  /** The address of a struct lb_backend. */
  public static Endpoint backendAddress(byte[] value) {
    ByteBuffer b = buffer(value);
    return new Endpoint(Endpoint.ipv4(bytes(b, 0, 4)), port(b, 4));
  }

  public static int protocolNumber(String name) {
    return switch (name) {
      case "tcp" -> PROTO_TCP;
      case "udp" -> PROTO_UDP;
      default -> throw new IllegalArgumentException("protocol '" + name + "' is not tcp or udp");
    };
  }

  public static Session session(byte[] key, byte[] value) {
    ByteBuffer k = buffer(key);
    ByteBuffer v = buffer(value);
    Endpoint client = new Endpoint(Endpoint.ipv4(bytes(k, 0, 4)), port(k, 8));
    Endpoint backend = new Endpoint(Endpoint.ipv4(bytes(k, 4, 4)), port(k, 10));
    int proto = k.get(12) & 0xff;
    String name =
        switch (proto) {
          case PROTO_TCP -> "tcp";
          case PROTO_UDP -> "udp";
          case PROTO_ICMP -> "icmp";
          default -> "proto" + proto;
        };
    Endpoint vip = new Endpoint(Endpoint.ipv4(bytes(v, 0, 4)), port(v, 4));
    return new Session(name, client, backend, vip, v.getLong(8));
  }

  public static List<Long> counters(List<byte[]> values) {
    List<Long> out = new ArrayList<>();
    for (byte[] v : values) {
      out.add(buffer(v).getLong(0));
    }
    return out;
  }

  private static int port(ByteBuffer b, int offset) {
    return Short.toUnsignedInt(Short.reverseBytes(b.getShort(offset)));
  }

  private static byte[] bytes(ByteBuffer b, int offset, int length) {
    byte[] out = new byte[length];
    b.get(offset, out);
    return out;
  }

  private static ByteBuffer buffer(int size) {
    return ByteBuffer.allocate(size).order(ByteOrder.LITTLE_ENDIAN);
  }

  private static ByteBuffer buffer(byte[] bytes) {
    return ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
  }
}
