package io.mapsync.agent.cli;

import picocli.CommandLine;

/** The version printed by --version: the jar's implementation version, or "dev" from sources. */
final class VersionProvider implements CommandLine.IVersionProvider {
  @Override
  public String[] getVersion() {
    String v = Main.class.getPackage().getImplementationVersion();
    return new String[] {"mapsync " + (v == null ? "dev" : v) + ", Java " + System.getProperty("java.version")};
  }
}
