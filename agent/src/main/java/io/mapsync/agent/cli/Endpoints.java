package io.mapsync.agent.cli;

import io.etcd.jetcd.Client;
import io.etcd.jetcd.ClientBuilder;
import io.mapsync.agent.config.ConfigException;
import io.mapsync.agent.config.HostPort;
import io.mapsync.tls.GrpcTls;
import io.mapsync.tls.TlsFileException;
import io.mapsync.tls.TlsFiles;
import io.mapsync.tls.TlsIdentity;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Option;

/**
 * The options every client command shares: members' client ports (etcd v3 API) and, for a cluster
 * with TLS on, the CA, certificate and key this client presents (etcdctl's flag names).
 */
final class Endpoints {
  @Option(
      names = "--endpoints",
      split = ",",
      defaultValue = "127.0.0.1:7101",
      description =
          "members' client addresses, host:port[,host:port...] (default: ${DEFAULT-VALUE})")
  List<String> endpoints;

  @Option(
      names = "--cacert",
      defaultValue = "${env:MAPSYNC_CACERT}",
      description =
          "CA certificate (PEM) the members' certificates are checked against; turns TLS on (env MAPSYNC_CACERT)")
  Path cacert;

  @Option(
      names = "--cert",
      defaultValue = "${env:MAPSYNC_CERT}",
      description = "this client's certificate (PEM; env MAPSYNC_CERT)")
  Path cert;

  @Option(
      names = "--key",
      defaultValue = "${env:MAPSYNC_KEY}",
      description = "this client's private key (PEM; env MAPSYNC_KEY)")
  Path key;

  /** The CA, certificate and key, or null for plain text; half a set is refused. */
  TlsFiles tls() {
    if (cacert == null && cert == null && key == null) {
      return null;
    }
    if (cacert == null || cert == null || key == null) {
      throw new ConfigException(
          "--cacert, --cert and --key go together: the members require a client certificate");
    }
    return new TlsFiles(cacert, cert, key);
  }

  List<String> urls() {
    String scheme = tls() == null ? "http://" : "https://";
    List<String> out = new ArrayList<>();
    for (String e : endpoints) {
      String hostPort = e.replaceFirst("^https?://", "");
      HostPort.check("--endpoints", hostPort);
      out.add(scheme + hostPort);
    }
    if (out.isEmpty()) {
      throw new ConfigException("--endpoints: give at least one member's client address");
    }
    return out;
  }

  /** A client over all endpoints; requests fail over between them. */
  Client connect() {
    ClientBuilder b = Client.builder().endpoints(urls().toArray(String[]::new));
    TlsFiles files = tls();
    if (files != null) {
      try {
        b.sslContext(GrpcTls.client(TlsIdentity.load(files)));
      } catch (TlsFileException e) {
        throw new ConfigException(e.getMessage(), e);
      }
    }
    return b.build();
  }
}
