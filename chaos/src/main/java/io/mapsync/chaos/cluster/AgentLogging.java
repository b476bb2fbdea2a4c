package io.mapsync.chaos.cluster;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/** The logging configuration of lab agents: written once per run next to their logs. */
final class AgentLogging {
  private static final String RESOURCE = "/chaos-agent-logback.xml";

  private AgentLogging() {}

  static synchronized Path configFile(Path logDir) {
    Path file = logDir.resolve("agent-logback.xml");
    if (!Files.exists(file)) {
      try (InputStream in = AgentLogging.class.getResourceAsStream(RESOURCE)) {
        if (in == null) {
          throw new IllegalStateException(RESOURCE + " is missing from the chaos module");
        }
        Files.copy(in, file, StandardCopyOption.REPLACE_EXISTING);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    return file;
  }
}
