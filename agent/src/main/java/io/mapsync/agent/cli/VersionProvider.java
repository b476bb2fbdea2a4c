package io.mapsync.agent.cli;

import picocli.CommandLine;

/** The version printed by --version: the jar's implementation version, or "dev" from sources. */
final class VersionProvider implements CommandLine.IVersionProvider {
  @Override
  public String[] getVersion() {
    VersionCommand.Versions v = VersionCommand.current();
    return new String[] {"mapsync " + v.mapsync() + ", Java " + v.java()};
  }
}
