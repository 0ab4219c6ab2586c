package io.pekkube.http.warnings;

import com.fasterxml.jackson.databind.JsonNode;
import io.pekkube.actors.api.ResourceType;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The warnings Kubernetes gives when a pod or a pod template uses deprecated node labels,
 * annotations or volume plugins (pkg/api/pod/warnings.go and pkg/api/node), with its texts and
 * field paths ({@code spec.template.spec.nodeSelector[beta.kubernetes.io/os]}). They are sent as
 * {@code Warning} headers on create and update; kubectl prints them as "Warning: ...".
 */
public final class PodWarnings {
  private PodWarnings() {}

  /** Where each kind keeps its pod template ("" for a Pod itself). */
  private static final Map<String, String> TEMPLATE_PATHS = Map.of(
      "Pod", "",
      "PodTemplate", "template",
      "Deployment", "spec.template",
      "ReplicaSet", "spec.template",
      "StatefulSet", "spec.template",
      "DaemonSet", "spec.template",
      "Job", "spec.template",
      "ReplicationController", "spec.template",
      "CronJob", "spec.jobTemplate.spec.template");

  private static final Map<String, String> DEPRECATED_NODE_LABELS = Map.of(
      "beta.kubernetes.io/arch", "deprecated since v1.14; use \"kubernetes.io/arch\" instead",
      "beta.kubernetes.io/os", "deprecated since v1.14; use \"kubernetes.io/os\" instead",
      "failure-domain.beta.kubernetes.io/region", "deprecated since v1.17; use \"topology.kubernetes.io/region\" instead",
      "failure-domain.beta.kubernetes.io/zone", "deprecated since v1.17; use \"topology.kubernetes.io/zone\" instead",
      "beta.kubernetes.io/instance-type", "deprecated since v1.17; use \"node.kubernetes.io/instance-type\" instead");

  private static final Map<String, String> DEPRECATED_ANNOTATIONS = Map.of(
      "scheduler.alpha.kubernetes.io/critical-pod", "non-functional in v1.16+; use the \"priorityClassName\" field instead",
      "security.alpha.kubernetes.io/sysctls", "non-functional in v1.11+; use the \"sysctls\" field instead",
      "security.alpha.kubernetes.io/unsafe-sysctls", "non-functional in v1.11+; use the \"sysctls\" field instead");

  private static final Map<String, String> DEPRECATED_VOLUMES = Map.of(
      "photonPersistentDisk", "deprecated in v1.11, non-functional in v1.16+",
      "gitRepo", "deprecated in v1.11",
      "scaleIO", "deprecated in v1.16, non-functional in v1.22+",
      "flocker", "deprecated in v1.22, non-functional in v1.25+",
      "storageOS", "deprecated in v1.22, non-functional in v1.25+",
      "quobyte", "deprecated in v1.22, non-functional in v1.25+",
      "glusterfs", "deprecated in v1.25, non-functional in v1.26+",
      "cephfs", "deprecated in v1.28, non-functional in v1.31+",
      "rbd", "deprecated in v1.28, non-functional in v1.31+");

  private static final String SECCOMP_POD = "seccomp.security.alpha.kubernetes.io/pod";
  private static final String SECCOMP_CONTAINER = "container.seccomp.security.alpha.kubernetes.io/";
  private static final String SECCOMP_MESSAGE = "non-functional in v1.27+; use the \"seccompProfile\" field instead";

  /** The warnings for an object of {@code type}; empty for kinds without a pod template. */
  public static List<String> of(ResourceType type, JsonNode object) {
    String at = TEMPLATE_PATHS.get(type.kind());
    if (at == null || !type.group().equals(groupOf(type.kind()))) {
      return List.of();
    }
    JsonNode template = object;
    String prefix = "";
    if (!at.isEmpty()) {
      for (String step : at.split("\\.")) {
        template = template.path(step);
      }
      prefix = at + ".";
    }
    return forTemplate(prefix, template.path("spec"), template.path("metadata"));
  }

  private static String groupOf(String kind) {
    return switch (kind) {
      case "Deployment", "ReplicaSet", "StatefulSet", "DaemonSet" -> "apps";
      case "Job", "CronJob" -> "batch";
      default -> "";
    };
  }

  private static List<String> forTemplate(String prefix, JsonNode spec, JsonNode meta) {
    List<String> out = new ArrayList<>();
    spec.path("nodeSelector").fieldNames().forEachRemaining(k -> {
      if (DEPRECATED_NODE_LABELS.containsKey(k)) {
        out.add(prefix + "spec.nodeSelector[" + k + "]: " + DEPRECATED_NODE_LABELS.get(k));
      }
    });
    JsonNode nodeAffinity = spec.path("affinity").path("nodeAffinity");
    JsonNode terms = nodeAffinity.path("requiredDuringSchedulingIgnoredDuringExecution").path("nodeSelectorTerms");
    for (int i = 0; i < terms.size(); i++) {
      selectorTerm(out, prefix + "spec.affinity.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution"
          + ".nodeSelectorTerms[" + i + "]", terms.get(i));
    }
    JsonNode preferred = nodeAffinity.path("preferredDuringSchedulingIgnoredDuringExecution");
    for (int i = 0; i < preferred.size(); i++) {
      selectorTerm(out, prefix + "spec.affinity.nodeAffinity.preferredDuringSchedulingIgnoredDuringExecution["
          + i + "].preference", preferred.get(i).path("preference"));
    }
    JsonNode spread = spec.path("topologySpreadConstraints");
    for (int i = 0; i < spread.size(); i++) {
      String key = spread.get(i).path("topologyKey").asText("");
      String path = prefix + "spec.topologySpreadConstraints[" + i + "]";
      if (DEPRECATED_NODE_LABELS.containsKey(key)) {
        out.add(path + ".topologyKey: " + key + " is " + DEPRECATED_NODE_LABELS.get(key));
      }
      if (spread.get(i).path("labelSelector").isMissingNode() || spread.get(i).path("labelSelector").isNull()) {
        out.add(path + ".labelSelector: a null labelSelector results in matching no pod");
      }
    }
    JsonNode annotations = meta.path("annotations");
    DEPRECATED_ANNOTATIONS.entrySet().stream().sorted(Map.Entry.comparingByKey()).forEach(e -> {
      if (annotations.has(e.getKey())) {
        out.add(prefix + "metadata.annotations[" + e.getKey() + "]: " + e.getValue());
      }
    });
    JsonNode volumes = spec.path("volumes");
    for (int i = 0; i < volumes.size(); i++) {
      for (Map.Entry<String, String> e : DEPRECATED_VOLUMES.entrySet()) {
        if (volumes.get(i).has(e.getKey())) {
          out.add(prefix + "spec.volumes[" + i + "]." + e.getKey() + ": " + e.getValue());
        }
      }
    }
    if (spec.path("securityContext").path("seccompProfile").isMissingNode() && annotations.has(SECCOMP_POD)) {
      out.add(prefix + "metadata.annotations[" + SECCOMP_POD + "]: " + SECCOMP_MESSAGE);
    }
    for (String list : List.of("containers", "initContainers", "ephemeralContainers")) {
      for (JsonNode c : spec.path(list)) {
        String key = SECCOMP_CONTAINER + c.path("name").asText("");
        if (c.path("securityContext").path("seccompProfile").isMissingNode() && annotations.has(key)) {
          out.add(prefix + "metadata.annotations[" + key + "]: " + SECCOMP_MESSAGE);
        }
      }
    }
    return out;
  }

  private static void selectorTerm(List<String> out, String path, JsonNode term) {
    JsonNode expressions = term.path("matchExpressions");
    for (int j = 0; j < expressions.size(); j++) {
      String key = expressions.get(j).path("key").asText("");
      if (DEPRECATED_NODE_LABELS.containsKey(key)) {
        out.add(path + ".matchExpressions[" + j + "].key: " + key + " is " + DEPRECATED_NODE_LABELS.get(key));
      }
    }
  }
}
