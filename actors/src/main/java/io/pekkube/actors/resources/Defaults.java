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
      case "Secret" -> {
        if (!object.hasNonNull("type")) {
          object.put("type", "Opaque");
        }
      }
      default -> { }
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
