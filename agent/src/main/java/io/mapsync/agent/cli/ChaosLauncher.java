package io.mapsync.agent.cli;

import java.io.IOException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Unmatched;

/**
 * `mapsync chaos ...`: hands the command line to the chaos suite (chaos/, which depends on the
 * agent, so the agent cannot link it). The suite's classes are found on the classpath, or in
 * $MAPSYNC_CHAOS_CLASSES, or in chaos/target/classes next to the agent/target/mapsync.jar this runs
 * from (what ./mapsync builds); agents it starts get the binary's classpath.
 */
@Command(
    name = "chaos",
    description =
        "Chaos suite: list | run SCENARIO [--seed N] [--duration D] | all | soak"
            + " (root; `mapsync chaos --help`).")
final class ChaosLauncher implements Callable<Integer> {
  static final String ENTRY = "io.mapsync.chaos.run.ChaosCommand";

  @Parameters(arity = "0..*", hidden = true)
  List<String> words = new ArrayList<>();

  @Unmatched List<String> options = new ArrayList<>();

  @picocli.CommandLine.Spec picocli.CommandLine.Model.CommandSpec spec;

  @Override
  public Integer call() throws Exception {
    List<String> all = spec.commandLine().getParseResult().originalArgs();
    int at = all.indexOf("chaos");
    String[] args = all.subList(at + 1, all.size()).toArray(String[]::new);
    Class<?> entry = load();
    return (Integer) entry.getMethod("run", String[].class).invoke(null, (Object) args);
  }

  private static Class<?> load() throws IOException, ClassNotFoundException {
    try {
      return Class.forName(ENTRY);
    } catch (ClassNotFoundException notLinked) {
      Path dir = classesDir();
      if (dir == null || !Files.isRegularFile(dir.resolve(ENTRY.replace('.', '/') + ".class"))) {
        throw new IOException(
            "the chaos suite's classes are not in "
                + (dir == null ? "this binary" : dir)
                + "; build them with `mvn -B -q -DskipTests package` in the repository (./mapsync does) or set"
                + " MAPSYNC_CHAOS_CLASSES to chaos/target/classes");
      }
      @SuppressWarnings("resource") // lives as long as the command
      URLClassLoader loader =
          new URLClassLoader(new URL[] {dir.toUri().toURL()}, ChaosLauncher.class.getClassLoader());
      return Class.forName(ENTRY, true, loader);
    }
  }

  private static Path classesDir() {
    String env = System.getenv("MAPSYNC_CHAOS_CLASSES");
    if (env != null && !env.isBlank()) {
      return Path.of(env);
    }
    try {
      Path jar =
          Path.of(ChaosLauncher.class.getProtectionDomain().getCodeSource().getLocation().toURI());
      Path repo = jar.toAbsolutePath().getParent().getParent().getParent();
      return repo == null ? null : repo.resolve("chaos/target/classes");
    } catch (java.net.URISyntaxException | RuntimeException e) {
      return null;
    }
  }
}
