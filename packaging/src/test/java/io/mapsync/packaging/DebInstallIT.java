package io.mapsync.packaging;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mapsync.bpf.testing.Require;
import io.mapsync.lab.Prerequisites;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The built .deb, unpacked into a directory with dpkg -x: its files, its unit, and the unit's
 * ExecStart command run from there, first with --help, then as an agent under an unprivileged user
 * holding only the unit's ambient capabilities, until it reports ready and stops on SIGTERM.
 */
class DebInstallIT {
  private static final String NOBODY = "65534";
  private static Path root;
  private static Path deb;

  @BeforeAll
  static void unpack() throws Exception {
    Prerequisites.tool("dpkg");
    deb = Path.of(System.getProperty("mapsync.deb", "target/mapsync.deb"));
    Prerequisites.require(Files.exists(deb), "the package was not built (" + deb + ")");
    root = Files.createTempDirectory("mapsync-deb-root");
    Files.setPosixFilePermissions(root, PosixFilePermissions.fromString("rwxr-xr-x"));
    assertEquals(0, run(List.of("dpkg", "-x", deb.toString(), root.toString())).exitCode);
  }

  @AfterAll
  static void remove() throws IOException {
    if (root != null) {
      delete(root);
    }
  }

  @Test
  void thePackageHoldsTheBinaryUnitConfigAndManPage() throws Exception {
    for (String f :
        List.of(
            "usr/bin/mapsync",
            "usr/share/mapsync/mapsync.jar",
            "lib/systemd/system/mapsync.service",
            "etc/mapsync/mapsync.yaml",
            "usr/share/man/man1/mapsync.1")) {
      assertTrue(Files.exists(root.resolve(f)), "the package lacks /" + f);
    }
    Result info = run(List.of("dpkg-deb", "--info", deb.toString()));
    assertTrue(
        info.out.contains("Depends: openjdk-17-jre-headless") && info.out.contains("libbpf1"),
        info.out);
    Result conffiles = run(List.of("dpkg-deb", "--info", deb.toString(), "conffiles"));
    assertEquals(
        "/etc/mapsync/mapsync.yaml", conffiles.out.strip(), "the config is not a conffile");
    String man = Files.readString(root.resolve("usr/share/man/man1/mapsync.1"));
    assertTrue(
        man.startsWith(".TH MAPSYNC 1")
            && man.contains(".SS mapsync agent")
            && man.contains("Exit codes"),
        "man page: " + man.substring(0, Math.min(300, man.length())));
    Prerequisites.tool("man");
    Result rendered =
        run(List.of("man", "-l", root.resolve("usr/share/man/man1/mapsync.1").toString()));
    assertEquals(0, rendered.exitCode, rendered.err);
    assertTrue(rendered.out.contains("doctor"), "man does not render the commands");
  }

  @Test
  void theUnitRunsWithBpfCapabilitiesNotRootAndRestartsOnExitCode3() throws Exception {
    SystemdUnit unit = SystemdUnit.read(root.resolve("lib/systemd/system/mapsync.service"));
    assertEquals("mapsync", unit.get("Service.User"));
    List<String> caps = Arrays.asList(unit.get("Service.AmbientCapabilities").split("\\s+"));
    assertTrue(
        caps.containsAll(List.of("CAP_BPF", "CAP_PERFMON", "CAP_NET_ADMIN")), caps.toString());
    assertTrue(
        Arrays.asList(unit.get("Service.RestartForceExitStatus").split("\\s+")).contains("3"));
    assertEquals("mapsync", unit.get("Service.StateDirectory"));
    assertTrue(
        unit.get("Service.ExecStart")
            .startsWith("/usr/bin/mapsync agent --config /etc/mapsync/mapsync.yaml"));
  }

  @Test
  void theUnitsCommandStartsAnAgentAsAnUnprivilegedUserWithTheUnitsCapabilities() throws Exception {
    Require.tracepoints();
    Prerequisites.tool("setpriv");
    SystemdUnit unit = SystemdUnit.read(root.resolve("lib/systemd/system/mapsync.service"));
    List<String> command = rebased(unit.get("Service.ExecStart"));

    Result help = run(concat(command, List.of("--help")));
    assertEquals(0, help.exitCode, help.err);
    assertTrue(help.out.contains("Usage: mapsync agent") && help.out.endsWith("\n"), help.out);

    Path data = Files.createTempDirectory("mapsync-deb-data");
    Path pins = Path.of("/sys/fs/bpf/mapsync-debtest-" + ProcessHandle.current().pid());
    try {
      run(List.of("chown", NOBODY + ":" + NOBODY, data.toString()));
      Files.createDirectories(pins);
      run(List.of("chown", NOBODY + ":" + NOBODY, pins.toString()));
      List<String> flags =
          List.of(
              "--data-dir",
              data.resolve("n1").toString(),
              "--peers",
              "n1=127.0.0.1:" + freePort(),
              "--client",
              "127.0.0.1:" + freePort(),
              "--metrics",
              "127.0.0.1:" + freePort(),
              "--map",
              "sessions:hash:8:8:1024",
              "--pin-dir",
              pins.resolve("n1").toString());
      String capList =
          String.join(
              ",",
              Arrays.stream(unit.get("Service.AmbientCapabilities").split("\\s+"))
                  .map(c -> "+" + c.substring(4).toLowerCase(Locale.ROOT))
                  .toList());
      List<String> asService =
          new ArrayList<>(
              List.of(
                  "setpriv",
                  "--reuid=" + NOBODY,
                  "--regid=" + NOBODY,
                  "--clear-groups",
                  "--inh-caps=" + capList,
                  "--ambient-caps=" + capList,
                  "--"));
      asService.addAll(command);
      asService.addAll(flags);
      startUntilReadyThenStop(asService, data);
    } finally {
      delete(data);
      if (Files.exists(pins)) {
        delete(pins);
      }
    }
  }

  private static void startUntilReadyThenStop(List<String> cmd, Path data) throws Exception {
    Path log = Files.createTempFile("mapsync-deb-agent", ".log");
    Process p = new ProcessBuilder(cmd).redirectError(log.toFile()).start();
    try {
      ReadyLine.await(p, log, "the agent run as the unit runs it");
      p.destroy();
      assertTrue(p.waitFor(60, TimeUnit.SECONDS), "the agent did not stop within 60 s of SIGTERM");
      assertTrue(
          p.exitValue() == 0 || p.exitValue() == 143,
          "exit " + p.exitValue() + ":\n" + Files.readString(log));
    } finally {
      p.destroyForcibly();
      Files.deleteIfExists(log);
    }
  }

  /** The unit's command with its absolute paths moved into the unpacked root. */
  private static List<String> rebased(String execStart) {
    List<String> out = new ArrayList<>();
    for (String word : execStart.split("\\s+")) {
      out.add(
          word.startsWith("/") && Files.exists(root.resolve(word.substring(1)))
              ? root.resolve(word.substring(1)).toString()
              : word);
    }
    return out;
  }

  private static List<String> concat(List<String> a, List<String> b) {
    List<String> out = new ArrayList<>(a);
    out.addAll(b);
    return out;
  }

  /** A finished command. */
  record Result(int exitCode, String out, String err) {}

  static Result run(List<String> cmd) throws IOException, InterruptedException {
    Path err = Files.createTempFile("mapsync-deb", ".err");
    try {
      Process p = new ProcessBuilder(cmd).redirectError(err.toFile()).start();
      String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      assertTrue(p.waitFor(120, TimeUnit.SECONDS), "did not finish: " + cmd);
      return new Result(p.exitValue(), out, Files.readString(err));
    } finally {
      Files.deleteIfExists(err);
    }
  }

  private static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }

  private static void delete(Path dir) throws IOException {
    try (Stream<Path> s = Files.walk(dir)) {
      s.sorted(Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
    }
  }
}
