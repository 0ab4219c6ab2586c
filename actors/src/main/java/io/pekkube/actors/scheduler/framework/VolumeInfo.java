package io.pekkube.actors.scheduler.framework;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.pekkube.actors.api.Quantity;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * What the scheduler needs of a PersistentVolume, parsed once when the volume is seen: its class, size,
 * access modes, the claim it is bound or pre-bound to, and the nodes it can be reached from
 * ({@code spec.nodeAffinity.required}, null when it has none: every node).
 */
public record VolumeInfo(
    ObjectNode object,
    String name,
    String resourceVersion,
    String storageClassName,
    long capacityBytes,
    List<String> accessModes,
    String volumeMode,
    Map<String, String> labels,
    ClaimRef claimRef,
    String phase,
    boolean deleting,
    List<NodeSelector> nodeAffinity) {

  /** {@code spec.claimRef}; uid may be empty (a user's pre-binding by name). */
  public record ClaimRef(String namespace, String name, String uid) {}

  /** Kubernetes' {@code IsVolumeBoundToClaim}: same namespace and name, and the uid when the reference has one. */
  public boolean boundTo(ClaimInfo claim) {
    return claimRef != null && claimRef.name().equals(claim.name()) && claimRef.namespace().equals(claim.namespace())
        && (claimRef.uid().isEmpty() || claimRef.uid().equals(claim.uid()));
  }

  /** Kubernetes' {@code CheckNodeAffinity}: no affinity reaches every node, else one of the terms must match. */
  public boolean reachableFrom(NodeInfo node) {
    return nodeAffinity == null || NodeSelector.anyMatches(nodeAffinity, node);
  }

  public static VolumeInfo of(ObjectNode pv) {
    JsonNode meta = pv.path("metadata");
    JsonNode spec = pv.path("spec");
    JsonNode ref = spec.path("claimRef");
    ClaimRef claimRef = ref.isObject()
        ? new ClaimRef(ref.path("namespace").asText(""), ref.path("name").asText(""), ref.path("uid").asText(""))
        : null;
    List<NodeSelector> affinity = null;
    JsonNode required = spec.path("nodeAffinity").path("required");
    if (required.isObject()) {
      affinity = new ArrayList<>();
      for (JsonNode term : required.path("nodeSelectorTerms")) {
        affinity.add(NodeSelector.of(term));
      }
      affinity = List.copyOf(affinity);
    }
    long capacity = Quantity.value(spec.path("capacity").path("storage").asText(""));
    return new VolumeInfo(pv, meta.path("name").asText(""), meta.path("resourceVersion").asText(""),
        ClaimInfo.storageClass(spec, meta.path("annotations")), Math.max(capacity, 0),
        ClaimInfo.strings(spec.path("accessModes")), ClaimInfo.volumeMode(spec), PodInfo.stringMap(meta.path("labels")),
        claimRef, pv.path("status").path("phase").asText(""), meta.hasNonNull("deletionTimestamp"), affinity);
  }
}
