package io.mapsync.raft.etcdapi;

import com.google.protobuf.ByteString;
import com.google.protobuf.CodedOutputStream;
import com.google.protobuf.WireFormat;
import io.etcd.jetcd.api.LeaseGrpc;
import io.etcd.jetcd.api.ResponseHeader;
import io.grpc.MethodDescriptor;
import io.grpc.ServerServiceDefinition;
import io.grpc.stub.ServerCalls;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Collection;
import java.util.function.Supplier;

/**
 * etcd's Lease/LeaseLeases call (what {@code etcdctl lease list} uses), which jetcd-grpc's copy of
 * etcd's proto lacks. Its messages are tiny, so they are encoded here by hand rather than
 * generated: the request is empty, and the response is {header = 1, repeated LeaseStatus leases =
 * 2} with LeaseStatus {int64 ID = 1}.
 */
final class LeaseListMethod {
  static final MethodDescriptor<ByteString, ByteString> METHOD =
      MethodDescriptor.<ByteString, ByteString>newBuilder()
          .setType(MethodDescriptor.MethodType.UNARY)
          .setFullMethodName(
              MethodDescriptor.generateFullMethodName(LeaseGrpc.SERVICE_NAME, "LeaseLeases"))
          .setRequestMarshaller(new RawBytes())
          .setResponseMarshaller(new RawBytes())
          .build();

  private LeaseListMethod() {}

  /** The Lease service definition plus LeaseLeases answered from what the supplier lists. */
  static ServerServiceDefinition withLeaseList(
      ServerServiceDefinition lease, Supplier<ByteString> answer) {
    ServerServiceDefinition.Builder merged =
        ServerServiceDefinition.builder(LeaseGrpc.SERVICE_NAME);
    lease.getMethods().forEach(merged::addMethod);
    merged.addMethod(
        METHOD,
        ServerCalls.asyncUnaryCall(
            (request, out) -> {
              try {
                out.onNext(answer.get());
                out.onCompleted();
              } catch (RuntimeException e) {
                Replies.fail(out, e);
              }
            }));
    return merged.build();
  }

  /** Encodes a LeaseLeasesResponse. */
  static ByteString response(ResponseHeader header, Collection<Long> leaseIds) {
    ByteString.Output bytes = ByteString.newOutput();
    CodedOutputStream out = CodedOutputStream.newInstance(bytes);
    try {
      out.writeMessage(1, header);
      for (long id : leaseIds) {
        out.writeTag(2, WireFormat.WIRETYPE_LENGTH_DELIMITED);
        out.writeUInt32NoTag(CodedOutputStream.computeInt64Size(1, id));
        out.writeInt64(1, id);
      }
      out.flush();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return bytes.toByteString();
  }

  /** Passes message bytes through untouched. */
  static final class RawBytes implements MethodDescriptor.Marshaller<ByteString> {
    @Override
    public InputStream stream(ByteString value) {
      return new ByteArrayInputStream(value.toByteArray());
    }

    @Override
    public ByteString parse(InputStream stream) {
      try {
        return ByteString.readFrom(stream);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
  }
}
