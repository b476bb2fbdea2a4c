package io.mapsync.agent.cli;

import io.mapsync.agent.config.AgentConfig;
import io.mapsync.agent.config.ConfigLoader;
import io.mapsync.agent.config.ConfigOverrides;
import io.mapsync.agent.config.HostPort;
import io.mapsync.agent.doctor.Doctor;
import io.mapsync.agent.doctor.Finding;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** Checks this host before an agent runs on it: what will work, what will not, and the fix. */
@Command(
    name = "doctor",
    mixinStandardHelpOptions = true,
    description =
        "Check this host for mapsync: kernel, BTF, bpffs, tracefs, lockdown, capture tiers, clock,"
            + " the data dir's fsync latency, free ports. Exits 1 if something will not work.")
final class DoctorCommand implements Callable<Integer> {
  @Option(
      names = "--config",
      description = "take the data dir and addresses from this agent config")
  Path config;

  @Option(
      names = "--data-dir",
      defaultValue = "/var/lib/mapsync",
      description = "default: ${DEFAULT-VALUE}")
  Path dataDir;

  @Option(
      names = "--ports",
      split = ",",
      defaultValue = "raft=0.0.0.0:7001,client=0.0.0.0:7101,metrics=0.0.0.0:9101",
      description = "role=host:port to check are free (default: ${DEFAULT-VALUE})")
  Map<String, String> ports;

  @Mixin OutputFormat output;

  @Override
  public Integer call() {
    Path dir = dataDir;
    Map<String, String> check = new LinkedHashMap<>(ports);
    if (config != null) {
      AgentConfig cfg = ConfigLoader.resolve(config, ConfigOverrides.none());
      dir = cfg.dataDir();
      check.clear();
      check.put("raft", cfg.peers().getOrDefault(cfg.id(), ""));
      check.put("client", cfg.clientAddress());
      check.put("metrics", cfg.metricsAddress());
      check.values().removeIf(String::isEmpty);
    }
    check.forEach((role, address) -> HostPort.check("--ports " + role, address));
    List<Finding> checks = Doctor.run(dir, check);
    if (output.json()) {
      System.out.println(OutputFormat.toJson(checks));
    } else {
      for (Finding c : checks) {
        System.out.printf("%-4s %-20s %s%n", c.status(), c.name(), c.detail());
        if (!c.fix().isEmpty()) {
          System.out.printf("     %-20s fix: %s%n", "", c.fix());
        }
      }
    }
    return checks.stream().anyMatch(c -> c.status() == Finding.Status.FAIL) ? 1 : 0;
  }
}
