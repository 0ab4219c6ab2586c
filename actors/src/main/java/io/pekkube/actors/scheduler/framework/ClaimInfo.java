package io.pekkube.actors.scheduler.framework;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.pekkube.actors.api.Quantity;
import io.pekkube.actors.api.selection.LabelSelector;
import io.pekkube.actors.api.selection.SelectorParseException;
import java.util.ArrayList;
import java.util.List;

/**
 * What the scheduler needs of a PersistentVolumeClaim, parsed once when the claim is seen. A claim is
 * fully bound when it names its volume and carries {@code pv.kubernetes.io/bind-completed}, as
 * Kubernetes' {@code isPVCFullyBound}. {@code selectedNode} is null when the claim has no
 * {@code volume.kubernetes.io/selected-node} annotation; {@code controllerUid} is the uid of its controlling
 * owner (the pod, for an ephemeral volume's claim), empty when none.
 */
public record ClaimInfo(
    ObjectNode object,
    String namespace,
    String name,
    String uid,
    String resourceVersion,
    String volumeName,
    String storageClassName,
    List<String> accessModes,
    String volumeMode,
    long requestBytes,
    LabelSelector selector,
    String selectedNode,
    boolean bindCompleted,
    boolean deleting,
    String phase,
    String controllerUid) {

  public static final String ANN_BIND_COMPLETED = "pv.kubernetes.io/bind-completed";
  public static final String ANN_BOUND_BY_CONTROLLER = "pv.kubernetes.io/bound-by-controller";
  public static final String ANN_SELECTED_NODE = "volume.kubernetes.io/selected-node";
  /** The class before {@code spec.storageClassName} existed; still honoured. */
  public static final String ANN_BETA_STORAGE_CLASS = "volume.beta.kubernetes.io/storage-class";

  public String key() {
    return namespace + "/" + name;
  }

  public boolean fullyBound() {
    return !volumeName.isEmpty() && bindCompleted;
  }

  public static ClaimInfo of(ObjectNode pvc) {
    JsonNode meta = pvc.path("metadata");
    JsonNode spec = pvc.path("spec");
    JsonNode annotations = meta.path("annotations");
    String controller = "";
    for (JsonNode ref : meta.path("ownerReferences")) {
      if (ref.path("controller").asBoolean(false)) {
        controller = ref.path("uid").asText("");
      }
    }
    long request = Quantity.value(spec.path("resources").path("requests").path("storage").asText(""));
    return new ClaimInfo(pvc, meta.path("namespace").asText(""), meta.path("name").asText(""),
        meta.path("uid").asText(""), meta.path("resourceVersion").asText(""), spec.path("volumeName").asText(""),
        storageClass(spec, annotations), strings(spec.path("accessModes")), volumeMode(spec),
        Math.max(request, 0), selector(spec.path("selector")), annotations.path(ANN_SELECTED_NODE).asText(null),
        annotations.has(ANN_BIND_COMPLETED), meta.hasNonNull("deletionTimestamp"),
        pvc.path("status").path("phase").asText(""), controller);
  }

  /** Kubernetes' {@code GetPersistentVolumeClaimClass} (and {@code GetPersistentVolumeClass}): the beta annotation wins. */
  static String storageClass(JsonNode spec, JsonNode annotations) {
    if (annotations.has(ANN_BETA_STORAGE_CLASS)) {
      return annotations.path(ANN_BETA_STORAGE_CLASS).asText("");
    }
    return spec.path("storageClassName").asText("");
  }

  /** An absent volumeMode is Filesystem, as Kubernetes' {@code CheckVolumeModeMismatches} reads it. */
  static String volumeMode(JsonNode spec) {
    String mode = spec.path("volumeMode").asText("");
    return mode.isEmpty() ? "Filesystem" : mode;
  }

  static List<String> strings(JsonNode array) {
    if (!array.isArray() || array.isEmpty()) {
      return List.of();
    }
    List<String> list = new ArrayList<>(array.size());
    array.forEach(v -> list.add(v.asText()));
    return List.copyOf(list);
  }

  /** Null when the claim has none; an invalid one (admission would have refused it) matches nothing. */
  private static LabelSelector selector(JsonNode selector) {
    if (selector.isMissingNode() || selector.isNull()) {
      return null;
    }
    try {
      return LabelSelector.fromJson(selector);
    } catch (SelectorParseException e) {
      return LabelSelector.nothing();
    }
  }
}
