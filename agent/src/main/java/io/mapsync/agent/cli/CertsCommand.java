package io.mapsync.agent.cli;

import io.mapsync.agent.config.ConfigException;
import io.mapsync.tls.TestCa;
import io.mapsync.tls.TlsFileException;
import io.mapsync.tls.TlsFiles;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * `mapsync certs init|issue`: a CA and per-host certificates for a test or lab cluster
 * (docs/security.md).
 */
@Command(
    name = "certs",
    mixinStandardHelpOptions = true,
    description = "Make a test CA and per-host certificates (PEM) for mutual TLS.",
    subcommands = {CertsCommand.Init.class, CertsCommand.Issue.class})
final class CertsCommand implements Runnable {
  @Override
  public void run() {
    System.out.println("use 'mapsync certs init' then 'mapsync certs issue NAME'");
  }

  @Command(
      name = "init",
      mixinStandardHelpOptions = true,
      description = "Create ca.pem and ca-key.pem in --dir.")
  static final class Init implements Callable<Integer> {
    @Option(names = "--dir", required = true, description = "where the CA's files are written")
    Path dir;

    @Option(
        names = "--name",
        defaultValue = "mapsync test CA",
        description = "the CA's common name")
    String name;

    @Option(
        names = "--days",
        defaultValue = "365",
        description = "validity (default: ${DEFAULT-VALUE})")
    int days;

    @Override
    public Integer call() {
      try {
        TestCa ca = TestCa.init(dir, name, Duration.ofDays(days));
        System.out.println(
            "CA '" + name + "': " + ca.caFile() + " (key " + dir.resolve(TestCa.CA_KEY) + ")");
        return 0;
      } catch (IOException e) {
        throw new ConfigException("certs init: " + e.getMessage(), e);
      }
    }
  }

  @Command(
      name = "issue",
      mixinStandardHelpOptions = true,
      description =
          "Issue NAME.pem and NAME-key.pem, signed by the CA in --dir, for server and client use.")
  static final class Issue implements Callable<Integer> {
    @Option(names = "--dir", required = true, description = "the CA's directory (from certs init)")
    Path dir;

    @Option(
        names = "--san",
        split = ",",
        description = "more subject alternative names: IP addresses or host names")
    List<String> sans = new ArrayList<>();

    @Option(
        names = "--days",
        defaultValue = "90",
        description = "validity (default: ${DEFAULT-VALUE})")
    int days;

    @Parameters(index = "0", description = "the common name: a member id (n1) or a client name")
    String name;

    @Override
    public Integer call() {
      LinkedHashSet<String> names =
          new LinkedHashSet<>(List.of(name, "localhost", "127.0.0.1", "::1"));
      names.addAll(sans);
      try {
        TlsFiles f = TestCa.open(dir).issue(name, List.copyOf(names), Duration.ofDays(days));
        System.out.println(
            "'" + name + "' " + names + ": cert " + f.cert() + ", key " + f.key() + ", ca "
                + f.ca());
        return 0;
      } catch (IOException | TlsFileException e) {
        throw new ConfigException("certs issue: " + e.getMessage(), e);
      }
    }
  }
}
