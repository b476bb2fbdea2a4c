package io.mapsync.lab;

import io.mapsync.tls.TestCa;
import io.mapsync.tls.TlsFiles;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/**
 * A throw-away CA with certificates for n1..nN and one client, for the demo and benchmarks with TLS
 * on; removed on close.
 */
public final class DemoPki implements AutoCloseable {
  public static final String CLIENT = "client";
  private final TestCa ca;

  private DemoPki(TestCa ca) {
    this.ca = ca;
  }

  public static DemoPki create(int members) throws IOException {
    TestCa ca =
        TestCa.init(
            Files.createTempDirectory("mapsync-pki"), "mapsync demo CA", Duration.ofDays(1));
    for (int i = 1; i <= members; i++) {
      ca.issue("n" + i, List.of("127.0.0.1", "localhost"), Duration.ofDays(1));
    }
    ca.issue(CLIENT, List.of(), Duration.ofDays(1));
    return new DemoPki(ca);
  }

  /** The agent flags that turn TLS on. */
  public List<String> agentArgs() {
    return List.of("--tls-dir", ca.dir().toString());
  }

  /** The client's files (for jetcd, the CLI's --cacert/--cert/--key, etcdctl). */
  public TlsFiles client() {
    return ca.filesOf(CLIENT);
  }

  @Override
  public void close() throws IOException {
    try (Stream<Path> files = Files.walk(ca.dir())) {
      for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    }
  }
}
