package io.pekkube.actors.storage;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.pekkube.actors.api.Json;
import io.pekkube.actors.scheduler.framework.ClaimInfo;

/**
 * The edits that bind a PersistentVolume and a PersistentVolumeClaim to each other, as Kubernetes' volume
 * controller (and, for the volume side, the scheduler) makes them. Each returns a changed copy and never
 * touches its argument; an edit with nothing to change returns an equal copy, so a caller writes only when
 * the copy differs.
 */
public final class BindingEdits {

  private BindingEdits() {}

  /**
   * Kubernetes' {@code GetBindVolumeToClaim}: the volume with {@code spec.claimRef} naming the claim (uid and
   * resourceVersion included), and {@code pv.kubernetes.io/bound-by-controller} unless a user had pre-bound
   * it to this claim.
   */
  public static ObjectNode volumeBoundTo(ObjectNode volume, ClaimInfo claim) {
    ObjectNode pv = volume.deepCopy();
    JsonNode ref = volume.path("spec").path("claimRef");
    boolean preBound = ref.isObject() && claim.name().equals(ref.path("name").asText())
        && claim.namespace().equals(ref.path("namespace").asText())
        && (ref.path("uid").asText("").isEmpty() || claim.uid().equals(ref.path("uid").asText()));
    if (!preBound || !claim.uid().equals(ref.path("uid").asText(""))) {
      ((ObjectNode) pv.with("spec")).putObject("claimRef").put("kind", "PersistentVolumeClaim")
          .put("namespace", claim.namespace()).put("name", claim.name()).put("uid", claim.uid())
          .put("apiVersion", "v1").put("resourceVersion", claim.resourceVersion());
    }
    ObjectNode annotations = (ObjectNode) pv.with("metadata").with("annotations");
    if (!preBound && !annotations.has(ClaimInfo.ANN_BOUND_BY_CONTROLLER)) {
      annotations.put(ClaimInfo.ANN_BOUND_BY_CONTROLLER, "yes");
    }
    return pv;
  }

  /**
   * Kubernetes' {@code bindClaimToVolume}: the claim names the volume ({@code bound-by-controller} when the
   * controller chose it) and its binding is complete ({@code pv.kubernetes.io/bind-completed}).
   */
  public static ObjectNode claimBoundTo(ObjectNode claim, ObjectNode volume) {
    ObjectNode pvc = claim.deepCopy();
    ObjectNode spec = (ObjectNode) pvc.with("spec");
    ObjectNode annotations = (ObjectNode) pvc.with("metadata").with("annotations");
    String volumeName = Json.meta(volume, "name");
    if (!volumeName.equals(spec.path("volumeName").asText(""))) {
      spec.put("volumeName", volumeName);
      if (!annotations.has(ClaimInfo.ANN_BOUND_BY_CONTROLLER)) {
        annotations.put(ClaimInfo.ANN_BOUND_BY_CONTROLLER, "yes");
      }
    }
    if (!annotations.has(ClaimInfo.ANN_BIND_COMPLETED)) {
      annotations.put(ClaimInfo.ANN_BIND_COMPLETED, "yes");
    }
    return pvc;
  }

  /**
   * Kubernetes' {@code updateClaimStatus}: the phase; with a volume its access modes, and its capacity when
   * the claim enters the phase now (a capacity already reported is left, it may be a resize's); without
   * one, no access modes and no capacity.
   */
  public static ObjectNode claimWithPhase(ObjectNode claim, String phase, ObjectNode volume) {
    ObjectNode pvc = claim.deepCopy();
    ObjectNode status = (ObjectNode) pvc.with("status");
    boolean entering = !phase.equals(status.path("phase").asText(""));
    status.put("phase", phase);
    if (volume == null) {
      status.remove("accessModes");
      status.remove("capacity");
      return pvc;
    }
    JsonNode spec = volume.path("spec");
    if (spec.has("accessModes")) {
      status.set("accessModes", spec.get("accessModes").deepCopy());
    } else {
      status.remove("accessModes");
    }
    if (entering && spec.has("capacity")) {
      status.set("capacity", spec.get("capacity").deepCopy());
    }
    return pvc;
  }

  /** Kubernetes' {@code updateVolumePhase}: the phase and its message (none when empty). */
  public static ObjectNode volumeWithPhase(ObjectNode volume, String phase, String message) {
    ObjectNode pv = volume.deepCopy();
    ObjectNode status = (ObjectNode) pv.with("status");
    status.put("phase", phase);
    if (message.isEmpty()) {
      status.remove("message");
    } else {
      status.put("message", message);
    }
    return pv;
  }

  /**
   * Kubernetes' {@code unbindVolume}, the spec part: a volume the controller bound loses its claim and the
   * annotation; one a user pre-bound keeps its claim by name and loses only the uid.
   */
  public static ObjectNode volumeUnbound(ObjectNode volume) {
    ObjectNode pv = volume.deepCopy();
    JsonNode annotations = pv.path("metadata").path("annotations");
    if (annotations.has(ClaimInfo.ANN_BOUND_BY_CONTROLLER)) {
      ((ObjectNode) pv.with("spec")).remove("claimRef");
      ObjectNode a = (ObjectNode) annotations;
      a.remove(ClaimInfo.ANN_BOUND_BY_CONTROLLER);
      if (a.isEmpty()) {
        ((ObjectNode) pv.get("metadata")).remove("annotations");
      }
    } else if (pv.path("spec").path("claimRef") instanceof ObjectNode ref) {
      ref.remove("uid");
    }
    return pv;
  }
}
