package io.pekkube.actors.controllers.persistentvolume;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.pekkube.actors.scheduler.framework.VolumeInfo;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * What the volume controller knows when it syncs, read-only: every volume (by name), claim
 * ({@code namespace/name}), StorageClass (by name) and the pods that use claims ({@code namespace/name}).
 */
public record Observed(Map<String, VolumeInfo> volumes, Map<String, ObjectNode> claims,
    Map<String, ObjectNode> classes, Map<String, PodClaims> pods) {

  /** The claims a pod uses (its {@code persistentVolumeClaim} volumes and its ephemeral volumes' claims). */
  public record PodClaims(String namespace, String name, List<String> claims, boolean scheduled, boolean terminated) {

    /** Null when the pod uses no claim. */
    public static PodClaims of(JsonNode pod) {
      JsonNode meta = pod.path("metadata");
      String name = meta.path("name").asText("");
      List<String> claims = new ArrayList<>();
      for (JsonNode volume : pod.path("spec").path("volumes")) {
        if (volume.has("persistentVolumeClaim")) {
          claims.add(volume.path("persistentVolumeClaim").path("claimName").asText(""));
        } else if (volume.has("ephemeral")) {
          claims.add(name + "-" + volume.path("name").asText(""));
        }
      }
      if (claims.isEmpty()) {
        return null;
      }
      String phase = pod.path("status").path("phase").asText("");
      return new PodClaims(meta.path("namespace").asText(""), name, List.copyOf(claims),
          !pod.path("spec").path("nodeName").asText("").isEmpty(), phase.equals("Succeeded") || phase.equals("Failed"));
    }
  }

  public static String key(String namespace, String name) {
    return namespace + "/" + name;
  }

  /** Kubernetes' {@code findNonScheduledPodsByPVC}: the running pods that use the claim and have no node yet. */
  public List<String> unscheduledPodsUsing(String namespace, String claim) {
    List<String> names = new ArrayList<>();
    for (PodClaims pod : pods.values()) {
      if (pod.namespace().equals(namespace) && !pod.terminated() && !pod.scheduled() && pod.claims().contains(claim)) {
        names.add(pod.name());
      }
    }
    names.sort(null);
    return names;
  }
}
