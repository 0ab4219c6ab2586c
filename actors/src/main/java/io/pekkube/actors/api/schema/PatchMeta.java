package io.pekkube.actors.api.schema;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * How a list field merges in a strategic merge patch and in server-side apply: the Go struct tags
 * {@code patchStrategy} / {@code patchMergeKey} and the {@code +listType} / {@code +listMapKey}
 * markers of Kubernetes' types.go. These are not in the protobuf descriptors or the model classes,
 * so this is the one table of them, keyed by (definition name, field). OpenAPI publishes it,
 * and strategic merge patch and server-side apply read it through {@code fields.MergeSchema}.
 *
 * @param patchStrategy "merge", "merge,retainKeys" or "" (replace the whole list)
 * @param mergeKey      the field identifying an element for "merge" of a list of objects, or ""
 * @param listType      "map", "set" or "atomic"
 * @param listMapKeys   for listType "map": the fields that together identify an element
 */
public record PatchMeta(String patchStrategy, String mergeKey, String listType, List<String> listMapKeys) {

  private static final String CORE = "io.k8s.api.core.v1.";
  private static final String META = "io.k8s.apimachinery.pkg.apis.meta.v1.";
  private static final Map<String, PatchMeta> TABLE = new HashMap<>();

  static {
    for (String container : List.of("Container", "EphemeralContainer")) {
      put(CORE + container, "ports", mapBy("containerPort", "containerPort", "protocol"));
      put(CORE + container, "env", mapBy("name", "name"));
      put(CORE + container, "volumeMounts", mapBy("mountPath", "mountPath"));
      put(CORE + container, "volumeDevices", mapBy("devicePath", "devicePath"));
    }
    put(CORE + "PodSpec", "containers", mapBy("name", "name"));
    put(CORE + "PodSpec", "initContainers", mapBy("name", "name"));
    put(CORE + "PodSpec", "ephemeralContainers", mapBy("name", "name"));
    put(CORE + "PodSpec", "volumes", new PatchMeta("merge,retainKeys", "name", "map", List.of("name")));
    put(CORE + "PodSpec", "imagePullSecrets", mapBy("name", "name"));
    put(CORE + "PodSpec", "hostAliases", mapBy("ip", "ip"));
    put(CORE + "PodSpec", "topologySpreadConstraints",
        mapBy("topologyKey", "topologyKey", "whenUnsatisfiable"));
    put(CORE + "PodSpec", "resourceClaims", new PatchMeta("merge,retainKeys", "name", "map", List.of("name")));
    put(CORE + "PodSpec", "schedulingGates", mapBy("name", "name"));
    put(CORE + "ServiceSpec", "ports", mapBy("port", "port", "protocol"));
    put(CORE + "ServiceAccount", "secrets", mapBy("name", "name"));
    put(CORE + "NodeStatus", "addresses", mapBy("type", "type"));
    put(CORE + "PodStatus", "podIPs", mapBy("ip", "ip"));
    put(CORE + "PodStatus", "hostIPs", mapBy("ip", "ip"));
    for (String status : List.of(CORE + "PodStatus", CORE + "NodeStatus", CORE + "NamespaceStatus",
        CORE + "PersistentVolumeClaimStatus", CORE + "ServiceStatus",
        "io.k8s.api.apps.v1.DeploymentStatus", "io.k8s.api.apps.v1.ReplicaSetStatus",
        "io.k8s.api.apps.v1.StatefulSetStatus", "io.k8s.api.apps.v1.DaemonSetStatus",
        "io.k8s.api.autoscaling.v2.HorizontalPodAutoscalerStatus", "io.k8s.api.policy.v1.PodDisruptionBudgetStatus")) {
      put(status, "conditions", mapBy("type", "type"));
    }
    put("io.k8s.api.batch.v1.JobStatus", "conditions", new PatchMeta("merge", "type", "atomic", List.of()));
    put(META + "ObjectMeta", "finalizers", new PatchMeta("merge", "", "set", List.of()));
    put(META + "ObjectMeta", "ownerReferences", mapBy("uid", "uid"));
  }

  private static PatchMeta mapBy(String mergeKey, String... keys) {
    return new PatchMeta("merge", mergeKey, "map", List.of(keys));
  }

  private static void put(String definition, String field, PatchMeta meta) {
    TABLE.put(definition + "#" + field, meta);
  }

  /** The patch metadata of {@code field} of definition {@code definitionName}, if it has any. */
  public static Optional<PatchMeta> of(String definitionName, String field) {
    return Optional.ofNullable(TABLE.get(definitionName + "#" + field));
  }

  /** Whether lists of this field merge element by element ({@code patchStrategy} contains merge). */
  public boolean merges() {
    return patchStrategy.contains("merge");
  }

  /** Whether a patch of this field drops the keys it does not name ({@code retainKeys}). */
  public boolean retainsKeys() {
    return patchStrategy.contains("retainKeys");
  }
}
