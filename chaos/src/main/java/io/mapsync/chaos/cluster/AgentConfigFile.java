package io.mapsync.chaos.cluster;

import io.mapsync.tls.TlsFiles;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Writes one member's mapsync.yaml. Every member lives in its own namespace, so all use the same
 * ports on their own address; the map is created and pinned by the agent under the run's pin dir.
 */
final class AgentConfigFile {
  private AgentConfigFile() {}

  static void write(
      Path file,
      String id,
      boolean join,
      Path dataDir,
      Path pinDir,
      Map<String, String> peers,
      String address,
      ClusterSettings settings,
      TlsFiles tls)
      throws IOException {
    String peerList =
        peers.entrySet().stream()
            .map(e -> e.getKey() + ": " + e.getValue())
            .collect(Collectors.joining(", ", "{", "}"));
    String raft =
        settings.raftProperties().entrySet().stream()
            .map(e -> e.getKey() + ": \"" + e.getValue() + "\"")
            .collect(Collectors.joining(", ", "{", "}"));
    String yaml =
        "id: "
            + id
            + "\n"
            + "data_dir: "
            + dataDir
            + "\n"
            + "peers: "
            + peerList
            + "\n"
            + "join: "
            + join
            + "\n"
            + "client_address: "
            + address
            + ":"
            + ClusterSettings.CLIENT_PORT
            + "\n"
            + "metrics_address: "
            + address
            + ":"
            + ClusterSettings.METRICS_PORT
            + "\n"
            + "anti_entropy_interval: "
            + settings.antiEntropy().toMillis()
            + "ms\n"
            + "pin_dir: "
            + pinDir
            + "\n"
            + "store:\n"
            + "  raft_properties: "
            + raft
            + "\n"
            + "maps:\n"
            + "  - name: "
            + ClusterSettings.MAP
            + "\n"
            + "    type: hash\n"
            + "    key_size: "
            + ClusterSettings.KEY_SIZE
            + "\n"
            + "    value_size: "
            + ClusterSettings.VALUE_SIZE
            + "\n"
            + "    max_entries: "
            + ClusterSettings.MAX_ENTRIES
            + "\n"
            + "    capture: "
            + settings.capture()
            + "\n"
            + "    scan_interval: 500ms\n"
            + (tls == null
                ? ""
                : "tls:\n"
                    + ("  ca: " + tls.ca() + "\n")
                    + ("  cert: " + tls.cert() + "\n")
                    + ("  key: " + tls.key() + "\n"));
    Files.writeString(file, yaml);
  }
}
