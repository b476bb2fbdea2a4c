package io.mapsync.agent.cli;

import io.mapsync.agent.config.AgentConfig;
import io.mapsync.agent.config.AgentSettings;
import io.mapsync.agent.config.ConfigLoader;
import io.mapsync.agent.config.ConfigOverrides;
import io.mapsync.agent.node.AgentNode;
import io.mapsync.tls.TestCa;
import io.mapsync.tls.TlsFiles;
import io.mapsync.tls.TlsIdentity;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * Runs an agent until it is stopped (SIGINT/SIGTERM), or until its store fails for good: then it
 * exits with the store's code (3) and one line that says what failed, for a supervisor to restart
 * it.
 */
@Command(
    name = "agent",
    mixinStandardHelpOptions = true,
    description = "Run a mapsync agent: a member of the log that replicates this host's maps.")
final class AgentCommand implements Callable<Integer> {
  @Option(names = "--config", description = "YAML config file (flags override its values)")
  Path config;

  @Option(names = "--id", description = "this node's name, e.g. n1")
  String id;

  @Option(names = "--peers", description = "voters: n1=host:port,n2=host:port,...")
  String peers;

  @Option(names = "--data-dir", description = "where the log and snapshots live")
  String dataDir;

  @Option(names = "--client", description = "host:port to serve the etcd v3 API on")
  String client;

  @Option(names = "--metrics", description = "host:port to serve Prometheus metrics on")
  String metrics;

  @Option(
      names = "--join",
      description = "wait to be added to a running cluster ('mapsync members add')")
  Boolean join;

  @Option(
      names = "--listener",
      split = ",",
      description = "members that join as listeners (never vote)")
  List<String> listeners;

  @Option(
      names = "--map",
      description = "a map to replicate: name=/pinned/path or name:type:key:value:max")
  List<String> maps;

  @Option(
      names = "--pin-dir",
      description = "where created maps are pinned (default /sys/fs/bpf/mapsync/<id>)")
  String pinDir;

  @Option(names = "--backend", description = "ratis (embedded, default) or etcd")
  String backend;

  @Option(
      names = "--etcd-endpoints",
      split = ",",
      description = "etcd client URLs for --backend etcd")
  List<String> etcdEndpoints;

  @Option(
      names = "--set",
      paramLabel = "KEY=VALUE",
      description =
          "any top-level key of mapsync.yaml, as the file writes it (repeatable; wins over the"
              + " file and the flags above), e.g. --set batching.linger=2ms"
              + " --set store.raft_properties='{raft.server.log.segment.size.max: 8MB}'")
  List<String> settings;

  @Option(
      names = "--tls-dir",
      description =
          "mutual TLS with the files of 'mapsync certs' in this directory:"
              + " ca.pem, <id>.pem, <id>-key.pem (replaces the config's tls: block)")
  Path tlsDir;

  @Override
  public Integer call() throws Exception {
    AgentConfig cfg =
        ConfigLoader.resolve(
            config,
            ConfigOverrides.none()
                .with(AgentSettings.ID, "--id", id)
                .with(AgentSettings.DATA_DIR, "--data-dir", dataDir)
                .withPeers(peers)
                .with(AgentSettings.CLIENT_ADDRESS, "--client", client)
                .with(AgentSettings.METRICS_ADDRESS, "--metrics", metrics)
                .with(AgentSettings.JOIN, "--join", join)
                .with(AgentSettings.LISTENERS, "--listener", listeners)
                .with(AgentSettings.PIN_DIR, "--pin-dir", pinDir)
                .with(AgentSettings.STORE_BACKEND, "--backend", backend)
                .with(AgentSettings.STORE_ETCD_ENDPOINTS, "--etcd-endpoints", etcdEndpoints)
                .withMaps(maps)
                .withSet(settings));
    if (tlsDir != null) {
      cfg =
          cfg.withTls(
              new AgentConfig.Tls(
                  new TlsFiles(
                      tlsDir.resolve(TestCa.CA_CERT),
                      tlsDir.resolve(cfg.id() + ".pem"),
                      tlsDir.resolve(cfg.id() + "-key.pem")),
                  TlsIdentity.DEFAULT_RELOAD_INTERVAL));
    }
    CompletableFuture<Void> stopped = new CompletableFuture<>();
    AgentNode node = AgentNode.start(cfg);
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  node.close();
                  stopped.complete(null);
                },
                "mapsync-shutdown"));
    System.out.printf(
        "mapsync agent %s ready: revision %d, client %s, metrics %s%n",
        cfg.id(),
        node.loop().appliedRevision(),
        node.clientPort() < 0 ? "-" : cfg.clientAddress(),
        node.metricsPort() < 0 ? "-" : cfg.metricsAddress());
    System.out.flush();
    CompletableFuture.anyOf(stopped, node.failure()).join();
    if (!stopped.isDone() && node.failure().isDone()) {
      node.close();
      throw node.failure().join(); // ErrorHandler: one line, exit code 3
    }
    return 0;
  }
}
