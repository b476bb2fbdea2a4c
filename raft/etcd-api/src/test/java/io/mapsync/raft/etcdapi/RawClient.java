package io.mapsync.raft.etcdapi;

import io.etcd.jetcd.api.KVGrpc;
import io.etcd.jetcd.api.WatchGrpc;
import io.etcd.jetcd.api.WatchRequest;
import io.etcd.jetcd.api.WatchResponse;
import io.grpc.ManagedChannel;
import io.grpc.netty.NettyChannelBuilder;
import io.grpc.stub.StreamObserver;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/** A plain gRPC client of the facade, for calls and fields that etcdctl and jetcd do not reach. */
final class RawClient implements AutoCloseable {
  final ManagedChannel channel;

  RawClient(String endpoint) {
    this(NettyChannelBuilder.forTarget(URI.create(endpoint).getAuthority()).usePlaintext());
  }

  RawClient(NettyChannelBuilder builder) {
    this.channel = builder.build();
  }

  static RawClient withSmallWindow(String endpoint, int windowBytes) {
    return new RawClient(
        NettyChannelBuilder.forTarget(URI.create(endpoint).getAuthority())
            .usePlaintext()
            .flowControlWindow(windowBytes));
  }

  KVGrpc.KVBlockingStub kv() {
    return KVGrpc.newBlockingStub(channel).withDeadlineAfter(10, TimeUnit.SECONDS);
  }

  /** Opens a watch stream whose responses queue up for the test. */
  WatchStream watch() {
    WatchStream stream = new WatchStream();
    stream.requests = WatchGrpc.newStub(channel).watch(stream);
    return stream;
  }

  @Override
  public void close() {
    channel.shutdownNow();
  }

  /** One bidirectional Watch stream. */
  static final class WatchStream implements StreamObserver<WatchResponse>, AutoCloseable {
    final BlockingQueue<WatchResponse> responses = new LinkedBlockingQueue<>();
    volatile Throwable error;
    StreamObserver<WatchRequest> requests;

    void send(WatchRequest request) {
      synchronized (this) {
        requests.onNext(request);
      }
    }

    WatchResponse next() throws InterruptedException {
      WatchResponse r = responses.poll(10, TimeUnit.SECONDS);
      if (r == null) {
        throw new AssertionError(
            "no watch response within 10 s"
                + (error == null ? "" : " (stream failed: " + error + ")"));
      }
      return r;
    }

    List<WatchResponse> next(int n) throws InterruptedException {
      List<WatchResponse> out = new ArrayList<>();
      for (int i = 0; i < n; i++) {
        out.add(next());
      }
      return out;
    }

    /** Nothing arrives for a while. */
    boolean quietFor(Duration d) throws InterruptedException {
      return responses.poll(d.toMillis(), TimeUnit.MILLISECONDS) == null;
    }

    @Override
    public void onNext(WatchResponse value) {
      responses.add(value);
    }

    @Override
    public void onError(Throwable t) {
      error = t;
    }

    @Override
    public void onCompleted() {}

    @Override
    public void close() {
      requests.onError(new RuntimeException("test done"));
    }
  }
}
