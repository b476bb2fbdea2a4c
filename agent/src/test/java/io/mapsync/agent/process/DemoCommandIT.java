package io.mapsync.agent.process;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mapsync.bpf.testing.Require;
import io.mapsync.lab.Prerequisites;
import io.mapsync.store.contract.RecordingListener;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * What a new user sees: `mapsync demo` (the built binary) runs, prints commands to try, and each
 * printed line works when pasted into a shell in the repository, with tools the demo's set-up
 * installs. The same cluster then shows the CLI's conventions (DemoClusterCliChecks).
 */
class DemoCommandIT {
  static final Path REPO = Path.of(System.getProperty("user.dir")).getParent();
  private static final Duration WAIT = Duration.ofSeconds(180);
  private static String binary;

  @BeforeAll
  static void binary() {
    Require.tracepoints();
    binary = System.getProperty("mapsync.binary");
    Prerequisites.require(
        binary != null && Files.exists(Path.of(binary)),
        "the mapsync binary was not built (" + binary + ")");
  }

  /** Runs one line as a user would paste it: bash, in the repository, with the built binary. */
  static Shell shell(String line) throws IOException, InterruptedException {
    ProcessBuilder pb = new ProcessBuilder("bash", "-c", line).directory(REPO.toFile());
    pb.environment().put("MAPSYNC_JAR", binary);
    Process p = pb.start();
    p.getOutputStream().close();
    var out = p.getInputStream();
    var err = p.getErrorStream();
    String[] errText = new String[1];
    Thread errReader =
        new Thread(
            () -> {
              try {
                errText[0] = new String(err.readAllBytes(), StandardCharsets.UTF_8);
              } catch (IOException e) {
                errText[0] = e.toString();
              }
            });
    errReader.start();
    String outText = new String(out.readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(p.waitFor(120, TimeUnit.SECONDS), "did not finish in 120 s: " + line);
    errReader.join();
    return new Shell(p.exitValue(), outText, errText[0]);
  }

  /** A finished shell line. */
  record Shell(int exitCode, String out, String err) {}

  @Test
  void everyCommandTheDemoPrintsWorksWhenPasted() throws Exception {
    Process demo =
        new ProcessBuilder("java", "-jar", binary, "demo", "--seconds", "600")
            .redirectError(ProcessBuilder.Redirect.INHERIT)
            .start();
    try {
      BufferedReader out =
          new BufferedReader(new InputStreamReader(demo.getInputStream(), StandardCharsets.UTF_8));
      List<String> printed = new ArrayList<>();
      List<String> commands = readTryLines(out, printed);
      drain(out);
      assertTrue(
          commands.size() >= 4,
          "the demo printed too few commands to try:\n" + String.join("\n", printed));
      checkToolsAreInstalledByTheDemoSetUp(commands);
      for (String line : commands) {
        Shell r = shell(line);
        assertEquals(
            0,
            r.exitCode(),
            "exit code of `" + line + "`\nstdout:\n" + r.out() + "\nstderr:\n" + r.err());
        // bpftool map update prints nothing on success; whatever is printed ends with a newline
        assertTrue(
            r.out().isEmpty() || r.out().endsWith("\n"),
            "output of `" + line + "` does not end with a newline:\n" + r.out());
      }
      String get =
          commands.stream().filter(c -> c.startsWith("./mapsync get")).findFirst().orElseThrow();
      RecordingListener.await(
          "the entry written with bpftool into n1's map is in the store",
          WAIT,
          () -> outputContains(get, "0900000000000000 0700000000000000"));
      String endpoints = endpointsOf(get);
      DemoClusterCliChecks.all(endpoints);
      backUpAndRestoreAsTheRunbookSays(endpoints);
    } finally {
      demo.destroy(); // SIGTERM: the demo's shutdown hook stops the agents and removes the maps
      assertTrue(
          demo.waitFor(60, TimeUnit.SECONDS), "the demo did not stop within 60 s of SIGTERM");
      demo.destroyForcibly();
    }
  }

  /**
   * docs/operations.md: etcdctl snapshot save is refused with a message that says why; the
   * equivalent, get -o json then put per line, restores a deleted entry.
   */
  private static void backUpAndRestoreAsTheRunbookSays(String endpoints) throws Exception {
    String one = endpoints.split(",")[0];
    Shell snapshot =
        shell(
            "ETCDCTL_API=3 etcdctl --endpoints "
                + one
                + " snapshot save /tmp/mapsync-demo-it-"
                + ProcessHandle.current().pid()
                + ".db; rc=$?; rm -f /tmp/mapsync-demo-it-"
                + ProcessHandle.current().pid()
                + ".db*; exit $rc");
    assertTrue(
        snapshot.exitCode() != 0 && snapshot.err().contains("Snapshot download is not supported"),
        "etcdctl snapshot save: " + snapshot);
    String e = "--endpoints " + endpoints;
    Shell backup =
        shell("./mapsync get " + e + " sessions -o json | grep '\"key\":\"0900000000000000\"'");
    assertEquals(0, backup.exitCode(), backup.toString());
    assertEquals(0, shell("./mapsync del " + e + " sessions 0900000000000000").exitCode());
    String restore =
        "while IFS= read -r l; do\n"
            + "  k=$(sed 's/.*\"key\":\"\\([0-9a-f]*\\)\".*/\\1/' <<<\"$l\"); v=$(sed 's/.*\"value\":\"\\([0-9a-f]*\\)\".*/\\1/' <<<\"$l\")\n"
            + "  ./mapsync put "
            + e
            + " sessions \"$k\" \"$v\"\n"
            + "done <<'EOF'\n"
            + backup.out()
            + "EOF\n";
    Shell restored = shell(restore);
    assertEquals(0, restored.exitCode(), restored.toString());
    assertTrue(
        shell("./mapsync get " + e + " sessions 0900000000000000")
            .out()
            .contains("0700000000000000"));
  }

  /** Reads the demo's output up to its last line of commands to try, and returns those commands. */
  private static List<String> readTryLines(BufferedReader out, List<String> printed)
      throws IOException {
    List<String> commands = new ArrayList<>();
    boolean inList = false;
    String line;
    while ((line = out.readLine()) != null) {
      printed.add(line);
      if (line.contains("try, in another terminal")) {
        inList = true;
      } else if (inList && line.startsWith("  ")) {
        commands.add(line.strip());
      } else if (inList) {
        return commands;
      }
    }
    throw new AssertionError(
        "the demo ended before printing its commands:\n" + String.join("\n", printed));
  }

  /**
   * Each tool a printed line runs (the first word after any VAR=value) is ./mapsync or comes from a
   * Debian package that scripts/setup --demo installs.
   */
  private static void checkToolsAreInstalledByTheDemoSetUp(List<String> commands) throws Exception {
    Matcher m =
        Pattern.compile("demo_pkgs=\\(([^)]*)\\)")
            .matcher(Files.readString(REPO.resolve("scripts/setup")));
    assertTrue(m.find(), "scripts/setup has no demo_pkgs=(...) list");
    Set<String> demoPackages = Set.of(m.group(1).trim().split("\\s+"));
    for (String line : commands) {
      String tool = line.replaceAll("^(\\w+=\\S*\\s+)*", "").split("\\s+")[0];
      if (tool.equals("./mapsync")) {
        continue;
      }
      Shell which =
          shell(
              "dpkg -S \"$(command -v "
                  + tool
                  + ")\" 2>/dev/null || dpkg -S \"$(readlink -f \"$(command -v "
                  + tool
                  + ")\")\"");
      String pkg = which.out().split(":")[0].trim();
      assertTrue(
          demoPackages.contains(pkg),
          "`"
              + line
              + "` runs "
              + tool
              + " (package '"
              + pkg
              + "'), which scripts/setup --demo does not install (demo_pkgs="
              + demoPackages
              + ")");
    }
  }

  static String endpointsOf(String line) {
    Matcher m = Pattern.compile("--endpoints (\\S+)").matcher(line);
    assertTrue(m.find(), "no --endpoints in " + line);
    return m.group(1);
  }

  private static void drain(BufferedReader out) {
    Thread t =
        new Thread(
            () -> {
              try {
                while (out.readLine() != null) {
                  // the demo's later lines are not needed; reading keeps it from blocking on a full
                  // pipe
                }
              } catch (IOException ignored) {
                // the demo stopped
              }
            },
            "demo-output");
    t.setDaemon(true);
    t.start();
  }

  private static boolean outputContains(String line, String text) {
    try {
      return shell(line).out().contains(text);
    } catch (IOException | InterruptedException e) {
      return false;
    }
  }
}
