package io.pekkube.actors.controllers.runtime;

import com.fasterxml.jackson.databind.JsonNode;
import io.pekkube.actors.api.ResourceType;

/** The identity of one API object a controller reconciles: its type, namespace ("" if cluster-scoped) and name. */
public record ObjectRef(ResourceType type, String namespace, String name) {

  public static ObjectRef of(ResourceType type, JsonNode object) {
    JsonNode meta = object.path("metadata");
    return new ObjectRef(type, meta.path("namespace").asText(""), meta.path("name").asText(""));
  }

  @Override
  public String toString() {
    return type.resourceKey() + "/" + (namespace.isEmpty() ? "" : namespace + "/") + name;
  }
}
