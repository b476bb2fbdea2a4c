package io.mapsync.raft.etcdapi;

import io.grpc.ForwardingServerCallListener;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.StatusRuntimeException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;

/**
 * An interceptor that looks at every request message before the service does and may close the call
 * instead, so a refused request never reaches the log; refusals are counted. A subclass says, per
 * call, how to judge its messages.
 */
abstract class MessageGate implements ServerInterceptor {
  private final AtomicLong refused = new AtomicLong();

  /** Refusals so far (for tests and metrics). */
  final long refused() {
    return refused.get();
  }

  /**
   * How to judge the messages of this call: null passes them all, else a function giving null for a
   * message that may pass and the status to close the call with for one that may not.
   */
  abstract Function<Object, StatusRuntimeException> judge(ServerCall<?, ?> call, Metadata headers);

  @Override
  public final <Q, R> ServerCall.Listener<Q> interceptCall(
      ServerCall<Q, R> call, Metadata headers, ServerCallHandler<Q, R> next) {
    Function<Object, StatusRuntimeException> judge = judge(call, headers);
    if (judge == null) {
      return next.startCall(call, headers);
    }
    return new ForwardingServerCallListener.SimpleForwardingServerCallListener<>(
        next.startCall(call, headers)) {
      private boolean denied;

      @Override
      public void onMessage(Q message) {
        if (denied) {
          return;
        }
        StatusRuntimeException refusal = judge.apply(message);
        if (refusal != null) {
          denied = true;
          refused.incrementAndGet();
          call.close(refusal.getStatus(), new Metadata());
          return;
        }
        super.onMessage(message);
      }

      @Override
      public void onHalfClose() {
        if (!denied) {
          super.onHalfClose();
        }
      }
    };
  }
}
