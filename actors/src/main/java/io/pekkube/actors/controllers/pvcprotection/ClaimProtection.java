package io.pekkube.actors.controllers.pvcprotection;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.pekkube.actors.api.Json;
import io.pekkube.actors.storage.ProtectionFinalizers;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Optional;

/**
 * The decisions of Kubernetes' PVC protection controller ({@code processPVC} and {@code podUsesPVC}), pure. A
 * claim being deleted loses its {@code kubernetes.io/pvc-protection} finalizer once no pod of its namespace
 * uses it; a claim not being deleted that lacks the finalizer (made before protection was on) gets it. A pod
 * uses a claim when it is scheduled (the kubelet starts no pod whose claim is being deleted, nor does the
 * scheduler place one) and names it in a {@code persistentVolumeClaim} volume, whatever its phase: as
 * Kubernetes since 1.12, a finished pod holds its claims until the pod object is gone, as its volumes may
 * still be in use until then. The claim {@code <pod>-<volume>} of an ephemeral volume counts only when the pod
 * controls it and is not shut down (deleted with no grace left): such a pod only waits for its claims'
 * garbage collection, which would otherwise wait for the pod.
 */
public final class ClaimProtection {

  private ClaimProtection() {}

  /** What a pod may hold: the claims it names ({@code persistentVolumeClaim}) and its ephemeral volumes' claims. */
  public record PodVolumes(String namespace, String name, String uid, boolean scheduled, boolean shutDown,
      List<String> claims, List<String> ephemeralClaims) {

    /** Null when the pod has no claim. */
    public static PodVolumes of(JsonNode pod) {
      String name = Json.meta(pod, "name");
      List<String> claims = new ArrayList<>();
      List<String> ephemeral = new ArrayList<>();
      for (JsonNode volume : pod.path("spec").path("volumes")) {
        if (volume.path("persistentVolumeClaim").isObject()) {
          claims.add(volume.path("persistentVolumeClaim").path("claimName").asText(""));
        } else if (volume.path("ephemeral").isObject()) {
          ephemeral.add(name + "-" + volume.path("name").asText(""));
        }
      }
      if (claims.isEmpty() && ephemeral.isEmpty()) {
        return null;
      }
      JsonNode meta = pod.path("metadata");
      boolean shutDown = meta.hasNonNull("deletionTimestamp") && meta.path("deletionGracePeriodSeconds").isNumber()
          && meta.path("deletionGracePeriodSeconds").asLong() == 0;
      return new PodVolumes(Json.meta(pod, "namespace"), name, Json.meta(pod, "uid"),
          !pod.path("spec").path("nodeName").asText("").isEmpty(), shutDown, List.copyOf(claims),
          List.copyOf(ephemeral));
    }

    /** Every claim the pod names, as {@code namespace/name}. */
    public List<String> claimKeys() {
      List<String> keys = new ArrayList<>(claims.size() + ephemeralClaims.size());
      claims.forEach(c -> keys.add(namespace + "/" + c));
      ephemeralClaims.forEach(c -> keys.add(namespace + "/" + c));
      return keys;
    }

    /** Kubernetes' {@code podUsesPVC}. */
    public boolean uses(JsonNode claim) {
      String claimName = Json.meta(claim, "name");
      if (!scheduled || !namespace.equals(Json.meta(claim, "namespace"))) {
        return false;
      }
      return claims.contains(claimName)
          || !shutDown && ephemeralClaims.contains(claimName) && uid.equals(controllerUid(claim));
    }
  }

  /** The claim one sync writes; {@code removesFinalizer}: it lets the claim go, so it waits for a live look. */
  public record Update(ObjectNode claim, boolean removesFinalizer) {}

  /** The write a sync of {@code claim} makes given the pods of its namespace; empty when there is none. */
  public static Optional<Update> decide(ObjectNode claim, Collection<PodVolumes> pods) {
    if (ProtectionFinalizers.isDeletionCandidate(claim, ProtectionFinalizers.PVC)) {
      return userOf(claim, pods).isPresent() ? Optional.empty()
          : Optional.of(new Update(ProtectionFinalizers.without(claim, ProtectionFinalizers.PVC), true));
    }
    if (ProtectionFinalizers.needToAdd(claim, ProtectionFinalizers.PVC)) {
      return Optional.of(new Update(ProtectionFinalizers.with(claim, ProtectionFinalizers.PVC), false));
    }
    return Optional.empty();
  }

  /** A pod that uses the claim, if any. */
  public static Optional<PodVolumes> userOf(JsonNode claim, Collection<PodVolumes> pods) {
    return pods.stream().filter(p -> p.uses(claim)).findFirst();
  }

  private static String controllerUid(JsonNode object) {
    for (JsonNode ref : object.path("metadata").path("ownerReferences")) {
      if (ref.path("controller").asBoolean(false)) {
        return ref.path("uid").asText("");
      }
    }
    return "";
  }
}
