package io.mapsync.raft.etcdapi;

import io.grpc.netty.GrpcHttp2ConnectionHandler;
import io.grpc.netty.InternalProtocolNegotiator;
import io.grpc.netty.InternalProtocolNegotiators;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.ByteToMessageDecoder;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslHandler;
import io.netty.util.AsciiString;
import java.util.ArrayList;
import java.util.List;

/**
 * The client port's protocol negotiation with TLS on: a connection that opens with a TLS record
 * gets the TLS handshake as before; one that opens in plain text is let through to gRPC only so
 * that {@link TlsRequired} can answer each of its calls with a status saying the port wants TLS. A
 * TLS server alone would just drop the connection, and etcdctl, jetcd and the mapsync CLI would
 * retry until their deadline and report a bare timeout.
 */
final class TlsOrPlainText implements InternalProtocolNegotiator.ProtocolNegotiator {
  private final InternalProtocolNegotiator.ProtocolNegotiator tls;
  private final InternalProtocolNegotiator.ProtocolNegotiator plain =
      InternalProtocolNegotiators.serverPlaintext();

  TlsOrPlainText(SslContext sslContext) {
    this.tls = InternalProtocolNegotiators.serverTls(sslContext);
  }

  @Override
  public AsciiString scheme() {
    return tls.scheme();
  }

  @Override
  public ChannelHandler newHandler(GrpcHttp2ConnectionHandler grpcHandler) {
    return new Detector(grpcHandler);
  }

  @Override
  public void close() {
    tls.close();
    plain.close();
  }

  /**
   * Holds the connection's first bytes (and the transport's events) until it can tell a TLS record
   * from plain text, then puts the chosen negotiation in its place and hands both on.
   */
  private final class Detector extends ByteToMessageDecoder {
    /** A TLS record header: content type, version, length. */
    private static final int RECORD_HEADER = 5;

    private final GrpcHttp2ConnectionHandler grpcHandler;
    private final List<Object> events = new ArrayList<>();

    Detector(GrpcHttp2ConnectionHandler grpcHandler) {
      this.grpcHandler = grpcHandler;
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
      events.add(evt);
    }

    @Override
    protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
      if (in.readableBytes() < RECORD_HEADER) {
        return;
      }
      ChannelHandler chosen =
          (SslHandler.isEncrypted(in, false) ? tls : plain).newHandler(grpcHandler);
      ctx.pipeline().addAfter(ctx.name(), null, chosen);
      for (Object evt : events) {
        ctx.fireUserEventTriggered(evt);
      }
      events.clear();
      // Removing a decoder hands the bytes it holds to the next handler.
      ctx.pipeline().remove(this);
    }
  }
}
