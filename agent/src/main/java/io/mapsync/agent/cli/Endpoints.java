package io.mapsync.agent.cli;

import io.etcd.jetcd.Client;
import io.mapsync.agent.config.ConfigException;
import io.mapsync.agent.config.HostPort;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Option;

/** The --endpoints option every client command shares: members' client ports (etcd v3 API). */
final class Endpoints {
  @Option(names = "--endpoints", split = ",", defaultValue = "127.0.0.1:7101",
      description = "members' client addresses, host:port[,host:port...] (default: ${DEFAULT-VALUE})")
  List<String> endpoints;

  List<String> urls() {
    List<String> out = new ArrayList<>();
    for (String e : endpoints) {
      String hostPort = e.replaceFirst("^https?://", "");
      HostPort.check("--endpoints", hostPort);
      out.add("http://" + hostPort);
    }
    if (out.isEmpty()) {
      throw new ConfigException("--endpoints: give at least one member's client address");
    }
    return out;
  }

  /** A client over all endpoints; requests fail over between them. */
  Client connect() {
    return Client.builder().endpoints(urls().toArray(String[]::new)).build();
  }
}
