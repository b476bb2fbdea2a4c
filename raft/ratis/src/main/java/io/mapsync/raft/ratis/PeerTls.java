package io.mapsync.raft.ratis;

import io.mapsync.tls.TlsIdentity;
import org.apache.ratis.conf.Parameters;
import org.apache.ratis.grpc.GrpcConfigKeys;
import org.apache.ratis.grpc.GrpcTlsConfig;

/**
 * Ratis's gRPC TLS from a {@link TlsIdentity}: one mutual-TLS config for the server, client and
 * admin ports and for this member's own Raft clients. Ratis builds its netty contexts once; they
 * hold the identity's managers, which read the current certificates at each handshake.
 */
final class PeerTls {
  private PeerTls() {}

  static Parameters parameters(RatisConfig config, TlsIdentity tls) {
    Parameters p = new Parameters();
    if (tls == null) {
      return p;
    }
    if (config.transport() != Transport.GRPC) {
      throw new IllegalArgumentException(
          "TLS between members needs the grpc transport; "
              + config.nodeId()
              + " is set to "
              + config.transport());
    }
    GrpcConfigKeys.TLS.setConf(p, new GrpcTlsConfig(tls.keyManager(), tls.trustManager(), true));
    return p;
  }
}
