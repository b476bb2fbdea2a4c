package io.mapsync.raft.etcdapi;

import io.etcd.jetcd.api.ElectionGrpc;
import io.etcd.jetcd.api.lock.LockGrpc;
import io.grpc.Metadata;
import io.grpc.MethodDescriptor;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerServiceDefinition;
import io.grpc.ServiceDescriptor;
import java.util.List;

/**
 * The etcd services mapsync does not offer at all (Lock, Election). Each of their calls is answered
 * at once with UNIMPLEMENTED and a sentence saying what is missing and why, instead of gRPC's bare
 * "method not found", so a client neither hangs nor guesses.
 */
final class UnsupportedServices {
  private UnsupportedServices() {}

  static List<ServerServiceDefinition> all() {
    return List.of(
        refuse(
            LockGrpc.getServiceDescriptor(),
            "the v3lock Lock service",
            "use the KV, Lease and Watch calls (etcdctl lock and clientv3/concurrency do so)"),
        refuse(
            ElectionGrpc.getServiceDescriptor(),
            "the v3election Election service",
            "use the KV, Lease and Watch calls (etcdctl elect and clientv3/concurrency do so)"));
  }

  private static ServerServiceDefinition refuse(
      ServiceDescriptor service, String what, String why) {
    ServerServiceDefinition.Builder definition = ServerServiceDefinition.builder(service);
    for (MethodDescriptor<?, ?> method : service.getMethods()) {
      addRefusal(definition, method, what, why);
    }
    return definition.build();
  }

  private static <Q, R> void addRefusal(
      ServerServiceDefinition.Builder definition,
      MethodDescriptor<Q, R> method,
      String what,
      String why) {
    ServerCallHandler<Q, R> handler =
        (call, headers) -> {
          call.close(
              EtcdApiErrors.unsupported(what + " (" + method.getBareMethodName() + ")", why)
                  .getStatus(),
              new Metadata());
          return new ServerCall.Listener<>() {};
        };
    definition.addMethod(method, handler);
  }
}
