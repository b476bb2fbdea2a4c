package io.mapsync.agent.node;

import io.mapsync.agent.config.AgentConfig;
import io.mapsync.agent.config.ConfigException;

/** An external etcd cluster as the log (placeholder until the etcd backend lands). */
final class EtcdBackend {
  private EtcdBackend() {}

  static Backend start(AgentConfig config) {
    throw new ConfigException("store.backend: etcd is not available in this build yet");
  }
}
