package io.mapsync.examples.lb;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;

/**
 * The bytes of lb.bpf.c's map keys and values, in one place: addresses and ports in network
 * order as they are in packets, counts and timestamps in the host's (little-endian) order.
 */
public final class LbLayout {
  public static final String SERVICE_MAP = "lb_service";
  public static final String BACKENDS_MAP = "lb_backends";
  public static final String SESSIONS_MAP = "lb_sessions";
  public static final String STATS_MAP = "lb_stats";
  public static final int MAX_BACKENDS = 16;
  public static final int SESSION_KEY_SIZE = 16;
  public static final int SESSION_VALUE_SIZE = 16;

  /** The counters of enum lb_counter, in order. */
  public static final List<String> COUNTERS = List.of("forwarded", "sessions_created", "replies_translated",
      "replies_unknown", "replies_derived", "replies_dropped");
  /** lb_service.flags: translate a reply with no session when the flow's hash picks its sender (LB_DERIVE). */
  public static final int FLAG_DERIVE = 1;

  private static final int PROTO_TCP = 6;
  private static final int PROTO_UDP = 17;

  private LbLayout() {}

  /** One entry of lb_sessions: a flow as the backend sees it, and the virtual service its replies come from. */
  public record Session(String proto, Endpoint client, Endpoint backend, Endpoint vip, long createdNs) {
    @Override
    public String toString() {
      return proto + " " + client + " <-> " + backend + " via " + vip;
    }
  }

  /** An array map's key. */
  public static byte[] index(int i) {
    return buffer(4).putInt(i).array();
  }

  public static byte[] service(Endpoint vip, int backendCount, int flags) {
    ByteBuffer b = buffer(12);
    b.put(vip.ip().getAddress()).putShort(Short.reverseBytes((short) vip.port())).putShort((short) backendCount)
        .putInt(flags);
    return b.array();
  }

  public static byte[] backend(Endpoint backend) {
    return buffer(8).put(backend.ip().getAddress()).putShort(Short.reverseBytes((short) backend.port())).array();
  }

  public static Session session(byte[] key, byte[] value) {
    ByteBuffer k = buffer(key);
    ByteBuffer v = buffer(value);
    Endpoint client = new Endpoint(Endpoint.ipv4(bytes(k, 0, 4)), port(k, 8));
    Endpoint backend = new Endpoint(Endpoint.ipv4(bytes(k, 4, 4)), port(k, 10));
    int proto = k.get(12) & 0xff;
    String name = proto == PROTO_TCP ? "tcp" : proto == PROTO_UDP ? "udp" : "proto" + proto;
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
