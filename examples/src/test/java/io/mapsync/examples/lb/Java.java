package io.mapsync.examples.lb;

import java.util.ArrayList;
import java.util.List;

/**
 * Command lines that run one of this module's programs in a child JVM, on the test's own class
 * path.
 */
final class Java {
  private Java() {}

  static List<String> command(Class<?> main, String... args) {
    // The helpers are small and short-lived: a quick start matters more than peak speed.
    List<String> cmd =
        new ArrayList<>(
            List.of(
                javaBinary(),
                "-XX:TieredStopAtLevel=1",
                "-XX:+UseSerialGC",
                "-Xmx64m",
                "-cp",
                System.getProperty("java.class.path"),
                main.getName()));
    cmd.addAll(List.of(args));
    return cmd;
  }

  static String javaBinary() {
    return ProcessHandle.current().info().command().orElse("java");
  }
}
