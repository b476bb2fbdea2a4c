package io.mapsync.agent.config;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;
import java.util.Map;

/**
 * mapsync.yaml as written: plain strings and numbers, bound strictly (unknown keys are errors).
 * {@link ConfigLoader} turns it into a checked {@link AgentConfig}.
 */
record ConfigFile(
    @JsonProperty("cluster_name") String clusterName,
    @JsonProperty("id") String id,
    @JsonProperty("data_dir") String dataDir,
    @JsonProperty("peers") Map<String, String> peers,
    @JsonProperty("listeners") List<String> listeners,
    @JsonProperty("join") Boolean join,
    @JsonProperty("client_address") String clientAddress,
    @JsonProperty("metrics_address") String metricsAddress,
    @JsonProperty("store") Store store,
    @JsonProperty("batching") Batching batching,
    @JsonProperty("anti_entropy_interval") String antiEntropyInterval,
    @JsonProperty("pin_dir") String pinDir,
    @JsonProperty("maps") List<MapEntry> maps,
    @JsonProperty("emit_pin_root") String emitPinRoot,
    @JsonProperty("tls") Tls tls) {

  record Store(
      @JsonProperty("backend") String backend,
      @JsonProperty("etcd_endpoints") List<String> etcdEndpoints,
      @JsonProperty("etcd_prefix") String etcdPrefix,
      @JsonProperty("raft_properties") Map<String, String> raftProperties,
      @JsonProperty("groups") List<Group> groups) {}

  record Group(@JsonProperty("name") String name, @JsonProperty("members") List<String> members) {}

  record Tls(
      @JsonProperty("ca") String ca,
      @JsonProperty("cert") String cert,
      @JsonProperty("key") String key,
      @JsonProperty("reload_interval") String reloadInterval,
      @JsonProperty("read_only_clients") List<String> readOnlyClients) {}

  record Batching(
      @JsonProperty("max_deltas") Integer maxDeltas,
      @JsonProperty("linger") String linger,
      @JsonProperty("capture_spin") String captureSpin) {}

  record MapEntry(
      @JsonProperty("name") String name,
      @JsonProperty("pinned") String pinned,
      @JsonProperty("type") String type,
      @JsonProperty("key_size") Integer keySize,
      @JsonProperty("value_size") Integer valueSize,
      @JsonProperty("max_entries") Integer maxEntries,
      @JsonProperty("pin") String pin,
      @JsonProperty("capture") String capture,
      @JsonProperty("scan_interval") String scanInterval,
      @JsonProperty("lru_eviction") String lruEviction,
      @JsonProperty("idle_ttl") String idleTtl,
      @JsonProperty("group") String group) {}
}
