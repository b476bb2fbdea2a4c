package io.mapsync.raft.ratis;

import java.util.Locale;

/** The network transport between members: Ratis's gRPC or its plain Netty RPC. */
public enum Transport {
  /** gRPC streams; the default, because commit push needs its appender (docs/ratis.md). */
  GRPC,
  /**
   * Ratis's own Netty RPC, with mapsync's workaround for Ratis 3.3.0's client deadlock; no commit
   * push, so followers learn commits at the next heartbeat (docs/ratis.md).
   */
  NETTY;

  /** Parses "grpc" or "netty" (any case). */
  public static Transport parse(String name) {
    try {
      return valueOf(name.trim().toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("unknown transport '" + name + "': use grpc or netty", e);
    }
  }

  @Override
  public String toString() {
    return name().toLowerCase(Locale.ROOT);
  }
}
