package io.pekkube.actors.controllers.nodelifecycle;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;

/**
 * What taint eviction reads of a pod bound to a node: who it is, where it runs, whether it is already
 * being deleted, and its tolerations. The controller keeps one per bound pod (tens of thousands), so it
 * keeps these few fields rather than the pod's JSON tree (about 25 KB parsed).
 */
public record BoundPod(String uid, String namespace, String name, String nodeName, boolean terminating,
    List<Toleration> tolerations) {

  public static BoundPod of(JsonNode pod) {
    JsonNode meta = pod.path("metadata");
    return new BoundPod(meta.path("uid").asText(""), meta.path("namespace").asText(""), meta.path("name").asText(""),
        pod.path("spec").path("nodeName").asText(""), meta.hasNonNull("deletionTimestamp"), Toleration.of(pod));
  }

  public boolean bound() {
    return !nodeName.isEmpty();
  }
}
