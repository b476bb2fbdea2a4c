package io.mapsync.lab;

import java.util.List;

/**
 * The log a benchmark's agents use: nothing to start for the embedded store; for "etcd", a local
 * three-member etcd cluster (Debian's etcd) the agents point at.
 */
public interface LocalLog extends AutoCloseable {
  /** Agent flags that select this log. */
  List<String> agentArgs();

  @Override
  void close();

  static LocalLog start(String backend) throws Exception {
    return switch (backend) {
      case "ratis" ->
          new LocalLog() {
            @Override
            public List<String> agentArgs() {
              return List.of();
            }

            @Override
            public void close() {}
          };
      case "etcd" -> EtcdCluster.start(3);
      default ->
          throw new IllegalArgumentException(
              "unknown backend '" + backend + "': use ratis or etcd");
    };
  }
}
