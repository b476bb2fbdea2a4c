package io.mapsync.raft.etcdapi;

import io.grpc.Grpc;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.Status;

/**
 * With TLS on, answers every call that arrived in plain text (see {@link TlsOrPlainText}) at once
 * with a status naming the fix, before the call reaches any service.
 */
final class TlsRequired implements ServerInterceptor {
  static final String MESSAGE =
      "mapsync: this etcd API port serves TLS only, and this client spoke plain text: use an"
          + " https:// endpoint and a client certificate from the cluster's CA (etcdctl --cacert,"
          + " --cert, --key, as for the mapsync CLI)";

  @Override
  public <Q, R> ServerCall.Listener<Q> interceptCall(
      ServerCall<Q, R> call, Metadata headers, ServerCallHandler<Q, R> next) {
    if (call.getAttributes().get(Grpc.TRANSPORT_ATTR_SSL_SESSION) != null) {
      return next.startCall(call, headers);
    }
    call.close(Status.UNAUTHENTICATED.withDescription(MESSAGE), new Metadata());
    return new ServerCall.Listener<>() {};
  }
}
