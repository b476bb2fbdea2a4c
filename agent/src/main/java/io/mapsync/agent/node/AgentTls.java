package io.mapsync.agent.node;

import io.mapsync.agent.config.AgentConfig;
import io.mapsync.agent.config.ConfigException;
import io.mapsync.tls.TlsFileException;
import io.mapsync.tls.TlsIdentity;

/**
 * Opens the agent's TLS identity at start, so a bad certificate, key or CA file stops it with one
 * line.
 */
final class AgentTls {
  private AgentTls() {}

  /** The identity named by the config's tls: block, polled for changes; null without one. */
  static TlsIdentity open(AgentConfig config) {
    if (config.tls() == null) {
      return null;
    }
    try {
      return TlsIdentity.open(config.tls().files(), config.tls().reloadInterval());
    } catch (TlsFileException e) {
      throw new ConfigException("tls: " + e.getMessage(), e);
    }
  }
}
