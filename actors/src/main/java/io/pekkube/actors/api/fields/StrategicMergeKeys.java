package io.pekkube.actors.api.fields;

import java.util.HashMap;
import java.util.Map;

/**
 * The merge keys and list strategies of the built-in types, taken from the {@code patchStrategy},
 * {@code patchMergeKey}, {@code listType} and {@code listMapKey} tags of the Kubernetes API types
 * (k8s.io/api core/v1, apps/v1, batch/v1, meta/v1). It is a small hand-kept table, keyed by kind,
 * kept behind {@link #forKind} so that a schema derived from the protobuf descriptors can replace it.
 * Kinds without an entry get a schema whose lists are all atomic.
 */
public final class StrategicMergeKeys {
  private static final Map<String, MergeSchema> TYPES = new HashMap<>();
  private static final Map<String, MergeSchema> KINDS = new HashMap<>();

  static {
    type("ObjectMeta", Map.of(), Map.of(
        "finalizers", ListRule.SET,
        "ownerReferences", ListRule.map("uid")));
    type("Container", Map.of(), Map.of(
        "ports", ListRule.map("containerPort", "containerPort", "protocol"),
        "env", ListRule.map("name"),
        "volumeMounts", ListRule.map("mountPath"),
        "volumeDevices", ListRule.map("devicePath")));
    type("PodSpec", Map.of("containers", "Container", "initContainers", "Container",
        "ephemeralContainers", "Container"), Map.of(
        "containers", ListRule.map("name"),
        "initContainers", ListRule.map("name"),
        "ephemeralContainers", ListRule.map("name"),
        "volumes", ListRule.map("name"),
        "imagePullSecrets", ListRule.map("name"),
        "hostAliases", ListRule.map("ip"),
        "topologySpreadConstraints", ListRule.map("topologyKey", "topologyKey", "whenUnsatisfiable"),
        "resourceClaims", ListRule.map("name"),
        "schedulingGates", ListRule.map("name")));
    type("PodTemplateSpec", Map.of("metadata", "ObjectMeta", "spec", "PodSpec"), Map.of());
    type("WithTemplate", Map.of("template", "PodTemplateSpec"), Map.of());
    type("JobTemplateSpec", Map.of("metadata", "ObjectMeta", "spec", "WithTemplate"), Map.of());
    type("CronJobSpec", Map.of("jobTemplate", "JobTemplateSpec"), Map.of());
    type("Conditions", Map.of(), Map.of("conditions", ListRule.map("type")));
    type("PodStatus", Map.of(), Map.of(
        "conditions", ListRule.map("type"),
        "podIPs", ListRule.map("ip"),
        "hostIPs", ListRule.map("ip")));
    type("NodeStatus", Map.of(), Map.of(
        "conditions", ListRule.map("type"),
        "addresses", ListRule.map("type")));
    type("ServiceSpec", Map.of(), Map.of("ports", ListRule.map("port", "port", "protocol")));

    kind("Pod", "PodSpec", "PodStatus");
    kind("PodTemplate", null, null, "template", "PodTemplateSpec");
    for (String k : new String[] {"Deployment", "ReplicaSet", "StatefulSet", "DaemonSet", "Job",
        "ReplicationController"}) {
      kind(k, "WithTemplate", "Conditions");
    }
    kind("CronJob", "CronJobSpec", "Conditions");
    kind("Service", "ServiceSpec", "Conditions");
    kind("Node", null, "NodeStatus");
    for (String k : new String[] {"Namespace", "PersistentVolumeClaim", "PersistentVolume",
        "HorizontalPodAutoscaler", "PodDisruptionBudget", "CustomResourceDefinition"}) {
      kind(k, null, "Conditions");
    }
    TYPES.values().forEach(s -> s.resolve(TYPES));
    KINDS.values().forEach(s -> s.resolve(TYPES));
  }

  private StrategicMergeKeys() {}

  /** The schema of a whole object of {@code kind}; every kind has at least ObjectMeta's rules. */
  public static MergeSchema forKind(String kind) {
    MergeSchema s = KINDS.get(kind);
    return s != null ? s : GENERIC;
  }

  /** Whether the table knows the kind's lists (beyond metadata). */
  public static boolean knows(String kind) {
    return KINDS.containsKey(kind);
  }

  private static final MergeSchema GENERIC = generic();

  private static MergeSchema generic() {
    MergeSchema g = new MergeSchema(Map.of("metadata", "ObjectMeta"), Map.of());
    g.resolve(TYPES);
    return g;
  }

  private static void type(String name, Map<String, String> fields, Map<String, ListRule> lists) {
    TYPES.put(name, new MergeSchema(fields, lists));
  }

  private static void kind(String kind, String spec, String status, String... extra) {
    Map<String, String> fields = new HashMap<>();
    fields.put("metadata", "ObjectMeta");
    if (spec != null) {
      fields.put("spec", spec);
    }
    if (status != null) {
      fields.put("status", status);
    }
    for (int i = 0; i + 1 < extra.length; i += 2) {
      fields.put(extra[i], extra[i + 1]);
    }
    KINDS.put(kind, new MergeSchema(Map.copyOf(fields), Map.of()));
  }
}
