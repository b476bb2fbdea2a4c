package io.mapsync.tls;

import io.grpc.netty.GrpcSslContexts;
import io.netty.handler.ssl.ClientAuth;
import io.netty.handler.ssl.SslContext;
import javax.net.ssl.SSLException;

/**
 * gRPC (grpc-netty) TLS contexts over a {@link TlsIdentity}: the server requires a client
 * certificate from the CA; the client presents its own and checks the server's against the CA and
 * the address it dialled. Built once; reloads reach them through the identity's managers.
 */
public final class GrpcTls {
  private GrpcTls() {}

  /**
   * Mutual TLS for a server: clients without a certificate from the CA are refused in the
   * handshake.
   */
  public static SslContext server(TlsIdentity id) {
    try {
      return GrpcSslContexts.configure(
              io.netty.handler.ssl.SslContextBuilder.forServer(id.keyManager()))
          .trustManager(id.trustManager())
          .clientAuth(ClientAuth.REQUIRE)
          .build();
    } catch (SSLException e) {
      throw new IllegalStateException("cannot build the TLS server context for " + id, e);
    }
  }

  /** A client that presents this identity's certificate. */
  public static SslContext client(TlsIdentity id) {
    try {
      return GrpcSslContexts.forClient()
          .keyManager(id.keyManager())
          .trustManager(id.trustManager())
          .build();
    } catch (SSLException e) {
      throw new IllegalStateException("cannot build the TLS client context for " + id, e);
    }
  }
}
