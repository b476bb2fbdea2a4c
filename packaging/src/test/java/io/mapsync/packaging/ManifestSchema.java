package io.mapsync.packaging;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The part of the Kubernetes API schema our manifests use (no kubeconform in Debian): the fields
 * each object may have, which are required, and their types. An unknown field (a typo such as
 * imagePullpolicy) or a missing required one is an error naming its path.
 */
final class ManifestSchema {
  /**
   * Fields allowed at one kind of node; those starting with ! are required; a value names the
   * child's kind.
   */
  private static final Map<String, Map<String, String>> KINDS =
      Map.ofEntries(
          Map.entry(
              "object",
              Map.of(
                  "!apiVersion",
                  "string",
                  "!kind",
                  "string",
                  "!metadata",
                  "metadata",
                  "spec",
                  "any")),
          Map.entry(
              "metadata",
              Map.of(
                  "!name",
                  "string",
                  "namespace",
                  "string",
                  "labels",
                  "strings",
                  "annotations",
                  "strings")),
          Map.entry(
              "DaemonSet.spec",
              Map.of(
                  "!selector",
                  "selector",
                  "!template",
                  "podTemplate",
                  "updateStrategy",
                  "any",
                  "minReadySeconds",
                  "int",
                  "revisionHistoryLimit",
                  "int")),
          Map.entry("selector", Map.of("!matchLabels", "strings")),
          Map.entry("podTemplate", Map.of("!metadata", "podMetadata", "!spec", "podSpec")),
          Map.entry("podMetadata", Map.of("!labels", "strings", "annotations", "strings")),
          Map.entry(
              "podSpec",
              Map.ofEntries(
                  Map.entry("!containers", "containers"),
                  Map.entry("volumes", "volumes"),
                  Map.entry("hostNetwork", "bool"),
                  Map.entry("dnsPolicy", "string"),
                  Map.entry("terminationGracePeriodSeconds", "int"),
                  Map.entry("serviceAccountName", "string"),
                  Map.entry("tolerations", "any"),
                  Map.entry("nodeSelector", "strings"),
                  Map.entry("priorityClassName", "string"))),
          Map.entry(
              "container",
              Map.ofEntries(
                  Map.entry("!name", "string"),
                  Map.entry("!image", "string"),
                  Map.entry("imagePullPolicy", "string"),
                  Map.entry("args", "any"),
                  Map.entry("command", "any"),
                  Map.entry("env", "any"),
                  Map.entry("ports", "any"),
                  Map.entry("readinessProbe", "any"),
                  Map.entry("livenessProbe", "any"),
                  Map.entry("resources", "any"),
                  Map.entry("securityContext", "securityContext"),
                  Map.entry("volumeMounts", "any"))),
          Map.entry(
              "securityContext",
              Map.of(
                  "privileged",
                  "bool",
                  "allowPrivilegeEscalation",
                  "bool",
                  "capabilities",
                  "capabilities",
                  "runAsUser",
                  "int",
                  "runAsNonRoot",
                  "bool",
                  "readOnlyRootFilesystem",
                  "bool")),
          Map.entry("capabilities", Map.of("add", "any", "drop", "any")),
          Map.entry(
              "Service.spec",
              Map.of(
                  "!selector",
                  "strings",
                  "!ports",
                  "any",
                  "clusterIP",
                  "string",
                  "type",
                  "string")));

  private ManifestSchema() {}

  /** The errors of one object, each with its path; empty when it conforms. */
  static List<String> check(String file, JsonNode object) {
    List<String> errors = new ArrayList<>();
    check(file, object, "object", errors);
    String kind = object.path("kind").asText();
    JsonNode spec = object.get("spec");
    if (spec != null && KINDS.containsKey(kind + ".spec")) {
      check(file + ": spec", spec, kind + ".spec", errors);
    }
    return errors;
  }

  private static void check(String path, JsonNode node, String kind, List<String> errors) {
    switch (kind) {
      case "any" -> {}
      case "string" -> expect(node.isTextual(), path, "a string", errors);
      case "int" -> expect(node.isInt(), path, "an integer", errors);
      case "bool" -> expect(node.isBoolean(), path, "true or false", errors);
      case "strings" -> {
        expect(node.isObject(), path, "a map of strings", errors);
        node.fields()
            .forEachRemaining(
                e ->
                    expect(
                        e.getValue().isTextual(),
                        path + "." + e.getKey(),
                        "a string (quote numbers and booleans)",
                        errors));
      }
      case "containers", "volumes" -> {
        expect(node.isArray() && !node.isEmpty(), path, "a non-empty list", errors);
        for (int i = 0; i < node.size(); i++) {
          if (kind.equals("containers")) {
            check(path + "[" + i + "]", node.get(i), "container", errors);
          } else {
            expect(node.get(i).has("name"), path + "[" + i + "]", "a volume with a name", errors);
          }
        }
      }
      default -> {
        Map<String, String> fields = KINDS.get(kind);
        if (!node.isObject()) {
          errors.add(path + ": expected an object");
          return;
        }
        Set<String> known = new java.util.HashSet<>();
        fields.forEach(
            (name, childKind) -> {
              boolean required = name.startsWith("!");
              String field = required ? name.substring(1) : name;
              known.add(field);
              JsonNode child = node.get(field);
              if (child == null) {
                if (required) {
                  errors.add(path + ": missing required field '" + field + "'");
                }
              } else if (!kind.equals("object") || !field.equals("spec")) {
                check(path + "." + field, child, childKind, errors);
              }
            });
        node.fieldNames()
            .forEachRemaining(
                f -> {
                  if (!known.contains(f)) {
                    errors.add(path + ": unknown field '" + f + "' (known: " + known + ")");
                  }
                });
      }
    }
  }

  private static void expect(boolean ok, String path, String what, List<String> errors) {
    if (!ok) {
      errors.add(path + ": expected " + what);
    }
  }
}
