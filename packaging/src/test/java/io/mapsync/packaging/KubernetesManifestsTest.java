package io.mapsync.packaging;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.mapsync.agent.config.AgentConfig;
import io.mapsync.agent.config.AgentSettings;
import io.mapsync.agent.config.ConfigLoader;
import io.mapsync.agent.config.ConfigOverrides;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * deploy/kubernetes (a kustomize base) parsed strictly (duplicate keys fail) and checked against
 * the schema fields it uses, then cross-checked: selectors match the pod's labels, every mount has
 * a volume, probes and services name declared ports, $(VARS) are declared, and the ConfigMap's
 * mapsync.yaml is a config the agent accepts.
 */
class KubernetesManifestsTest {
  static final Path DIR =
      Path.of(System.getProperty("user.dir")).getParent().resolve("deploy/kubernetes");
  private static final ObjectMapper YAML =
      new ObjectMapper(
              YAMLFactory.builder().enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION).build())
          .enable(DeserializationFeature.FAIL_ON_READING_DUP_TREE_KEY);
  private static JsonNode kustomization;
  private static JsonNode daemonSet;
  private static JsonNode service;

  @BeforeAll
  static void read() throws IOException {
    kustomization = YAML.readTree(DIR.resolve("kustomization.yaml").toFile());
    for (JsonNode r : kustomization.get("resources")) {
      JsonNode o = YAML.readTree(DIR.resolve(r.asText()).toFile());
      switch (o.path("kind").asText()) {
        case "DaemonSet" -> daemonSet = o;
        case "Service" -> service = o;
        default -> {}
      }
    }
  }

  @Test
  void everyResourceConformsToTheSchema() throws IOException {
    List<String> errors = new ArrayList<>();
    for (JsonNode r : kustomization.get("resources")) {
      errors.addAll(
          ManifestSchema.check(r.asText(), YAML.readTree(DIR.resolve(r.asText()).toFile())));
    }
    assertEquals(List.of(), errors);
    assertTrue(daemonSet != null && service != null, "the base has no DaemonSet or no Service");
  }

  @Test
  void aTypoIsCaughtWithItsPath() throws IOException {
    JsonNode bad =
        YAML.readTree(
            Files.readString(DIR.resolve("daemonset.yaml"))
                .replace("imagePullPolicy", "imagePullpolicy"));
    List<String> errors = ManifestSchema.check("daemonset.yaml", bad);
    assertTrue(
        errors.stream()
            .anyMatch(
                e ->
                    e.contains(
                        "spec.template.spec.containers[0]: unknown field 'imagePullpolicy'")),
        errors.toString());
  }

  @Test
  void selectorsMountsPortsAndVariablesAgree() {
    JsonNode pod = daemonSet.at("/spec/template");
    JsonNode labels = pod.at("/metadata/labels");
    daemonSet
        .at("/spec/selector/matchLabels")
        .fields()
        .forEachRemaining(
            e ->
                assertEquals(e.getValue(), labels.get(e.getKey()), "selector label " + e.getKey()));
    service
        .at("/spec/selector")
        .fields()
        .forEachRemaining(
            e ->
                assertEquals(
                    e.getValue(), labels.get(e.getKey()), "service selector label " + e.getKey()));
    Set<String> volumes = new HashSet<>();
    pod.at("/spec/volumes").forEach(v -> volumes.add(v.get("name").asText()));
    JsonNode c = pod.at("/spec/containers/0");
    c.get("volumeMounts")
        .forEach(m -> assertTrue(volumes.contains(m.get("name").asText()), "no volume " + m));
    Set<String> ports = new HashSet<>();
    c.get("ports")
        .forEach(
            p -> {
              assertTrue(
                  p.get("name").asText().length() <= 15,
                  "port names are at most 15 characters: " + p);
              ports.add(p.get("name").asText());
            });
    assertTrue(
        ports.contains(c.at("/readinessProbe/httpGet/port").asText()),
        "the probe names no declared port");
    service
        .at("/spec/ports")
        .forEach(p -> assertTrue(ports.contains(p.get("targetPort").asText()), p.toString()));
    Set<String> env = new HashSet<>();
    c.get("env").forEach(e -> env.add(e.get("name").asText()));
    Matcher m = Pattern.compile("\\$\\((\\w+)\\)").matcher(c.get("args").toString());
    while (m.find()) {
      assertTrue(
          env.contains(m.group(1)), "args use $(" + m.group(1) + "), which env does not declare");
    }
    Set<String> caps = new HashSet<>();
    c.at("/securityContext/capabilities/add").forEach(x -> caps.add(x.asText()));
    assertTrue(caps.containsAll(Set.of("BPF", "PERFMON", "NET_ADMIN")), caps.toString());
    assertEquals(
        false,
        c.at("/securityContext/privileged").asBoolean(true),
        "the agent needs no privileged pod");
    assertTrue(
        pod.at("/spec/hostNetwork").asBoolean(), "Raft between nodes needs the host network");
  }

  @Test
  void theConfigMapHoldsAConfigTheAgentAccepts() {
    JsonNode gen = kustomization.at("/configMapGenerator/0");
    String name = gen.get("name").asText();
    JsonNode pod = daemonSet.at("/spec/template/spec");
    List<String> usedConfigMaps = new ArrayList<>();
    pod.get("volumes").forEach(v -> usedConfigMaps.add(v.at("/configMap/name").asText()));
    assertTrue(usedConfigMaps.contains(name), "no volume mounts the generated ConfigMap " + name);
    Path file = DIR.resolve(gen.at("/files/0").asText());
    String firstPeer = "node-a";
    AgentConfig cfg =
        ConfigLoader.resolve(
            file,
            ConfigOverrides.none()
                .with(AgentSettings.ID, "--id", firstPeer)
                .with(AgentSettings.CLIENT_ADDRESS, "--client", "10.0.0.1:7101")
                .with(AgentSettings.METRICS_ADDRESS, "--metrics", "10.0.0.1:9101"));
    assertEquals(
        Map.of("node-a", "10.0.0.1:7001", "node-b", "10.0.0.2:7001", "node-c", "10.0.0.3:7001"),
        cfg.peers());
    assertEquals("/var/lib/mapsync", cfg.dataDir().toString());
  }
}
