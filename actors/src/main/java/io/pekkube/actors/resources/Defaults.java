package io.pekkube.actors.resources;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.pekkube.actors.api.ResourceType;

/** Defaulting applied on create, where Kubernetes sets fields the client left out. */
final class Defaults {

  private Defaults() {}

  static void apply(ResourceType type, ObjectNode object) {
    switch (type.kind()) {
      case "Namespace" -> namespace(object);
      case "Pod" -> pod(object);
      case "Secret" -> {
        if (!object.hasNonNull("type")) {
          object.put("type", "Opaque");
        }
      }
      case "PersistentVolume" -> {
        ObjectNode spec = object.with("spec");
        putIfAbsent(spec, "persistentVolumeReclaimPolicy", "Retain");
        putIfAbsent(spec, "volumeMode", "Filesystem");
        putIfAbsent(object.with("status"), "phase", "Pending");
      }
      case "PersistentVolumeClaim" -> {
        putIfAbsent(object.with("spec"), "volumeMode", "Filesystem");
        putIfAbsent(object.with("status"), "phase", "Pending");
      }
      case "StorageClass" -> {
        putIfAbsent(object, "reclaimPolicy", "Delete");
        putIfAbsent(object, "volumeBindingMode", "Immediate");
      }
      default -> { }
    }
  }

  /**
   * A new pod is Pending with its QoS class, and gets the spec defaults Kubernetes' defaulting
   * functions set (kubectl shows them; the scheduler and kubelet read them).
   */
  private static void pod(ObjectNode object) {
    ObjectNode spec = object.with("spec");
    putIfAbsent(spec, "restartPolicy", "Always");
    putIfAbsent(spec, "dnsPolicy", "ClusterFirst");
    putIfAbsent(spec, "schedulerName", "default-scheduler");
    if (!spec.has("terminationGracePeriodSeconds")) {
      spec.put("terminationGracePeriodSeconds", 30);
    }
    for (String list : new String[] {"initContainers", "containers"}) {
      for (JsonNode c : spec.path(list)) {
        if (c instanceof ObjectNode container) {
          String image = container.path("image").asText("");
          String lastPart = image.substring(image.lastIndexOf('/') + 1);
          boolean latest = !lastPart.contains(":") && !image.contains("@") || image.endsWith(":latest");
          putIfAbsent(container, "imagePullPolicy", latest ? "Always" : "IfNotPresent");
          putIfAbsent(container, "terminationMessagePath", "/dev/termination-log");
          putIfAbsent(container, "terminationMessagePolicy", "File");
        }
      }
    }
    ObjectNode status = object.with("status");
    status.put("phase", "Pending");
    status.put("qosClass", qosClass(spec));
  }

  /** Guaranteed: every container limits cpu and memory at its requests; BestEffort: none asks anything. */
  static String qosClass(JsonNode spec) {
    boolean any = false;
    boolean guaranteed = true;
    for (String list : new String[] {"initContainers", "containers"}) {
      for (JsonNode c : spec.path(list)) {
        JsonNode requests = c.path("resources").path("requests");
        JsonNode limits = c.path("resources").path("limits");
        any |= requests.size() > 0 || limits.size() > 0;
        for (String resource : new String[] {"cpu", "memory"}) {
          String limit = limits.path(resource).asText("");
          String request = requests.path(resource).asText(limit);
          guaranteed &= !limit.isEmpty() && request.equals(limit);
        }
      }
    }
    return !any ? "BestEffort" : guaranteed ? "Guaranteed" : "Burstable";
  }

  private static void putIfAbsent(ObjectNode node, String field, String value) {
    if (!node.hasNonNull(field)) {
      node.put(field, value);
    }
  }

  /** A new namespace is Active and carries the "kubernetes" finalizer in its spec. */
  private static void namespace(ObjectNode object) {
    ObjectNode spec = object.with("spec");
    JsonNode finalizers = spec.get("finalizers");
    if (!(finalizers instanceof ArrayNode)) {
      spec.putArray("finalizers").add("kubernetes");
    }
    object.with("status").put("phase", "Active");
    ObjectNode labels = object.with("metadata").with("labels");
    labels.put("kubernetes.io/metadata.name", object.path("metadata").path("name").asText());
  }
}
