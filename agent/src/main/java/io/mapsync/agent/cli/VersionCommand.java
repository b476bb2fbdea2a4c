package io.mapsync.agent.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/**
 * mapsync version: the binary's version, the Java it runs on, and the kernel (as etcdctl version).
 */
@Command(
    name = "version",
    mixinStandardHelpOptions = true,
    description = "Print the versions of mapsync, Java and the kernel.")
final class VersionCommand implements Callable<Integer> {
  @Mixin OutputFormat output;

  /** What -o json prints. */
  record Versions(String mapsync, String java, String kernel) {}

  static Versions current() {
    String v = Main.class.getPackage().getImplementationVersion();
    return new Versions(
        v == null ? "dev" : v,
        System.getProperty("java.version"),
        System.getProperty("os.version"));
  }

  @Override
  public Integer call() {
    Versions v = current();
    if (output.json()) {
      System.out.println(OutputFormat.toJson(v));
    } else {
      System.out.printf("mapsync: %s%njava: %s%nkernel: %s%n", v.mapsync(), v.java(), v.kernel());
    }
    return 0;
  }
}
