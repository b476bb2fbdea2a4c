package io.mapsync.raft.etcd;

import io.grpc.CallOptions;
import io.grpc.Channel;
import io.grpc.ClientCall;
import io.grpc.ClientInterceptor;
import io.grpc.MethodDescriptor;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * Gives every unary etcd call a deadline. jetcd sets none, so a request sent to a member that died
 * or lost its quorum would otherwise wait for TCP keepalive; with a deadline it fails and the
 * store's retry sends it to another member. Streams (watches) are left alone: they live long.
 */
final class DeadlineInterceptor implements ClientInterceptor {
  private final long timeoutNanos;

  DeadlineInterceptor(Duration timeout) {
    this.timeoutNanos = timeout.toNanos();
  }

  @Override
  public <ReqT, RespT> ClientCall<ReqT, RespT> interceptCall(
      MethodDescriptor<ReqT, RespT> method, CallOptions options, Channel next) {
    if (method.getType() == MethodDescriptor.MethodType.UNARY && options.getDeadline() == null) {
      options = options.withDeadlineAfter(timeoutNanos, TimeUnit.NANOSECONDS);
    }
    return next.newCall(method, options);
  }
}
