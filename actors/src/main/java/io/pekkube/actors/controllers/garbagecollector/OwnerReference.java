package io.pekkube.actors.controllers.garbagecollector;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;

/** One entry of {@code metadata.ownerReferences}. */
public record OwnerReference(String apiVersion, String kind, String name, String uid, boolean blockOwnerDeletion) {

  public static List<OwnerReference> of(JsonNode object) {
    List<OwnerReference> refs = new ArrayList<>();
    for (JsonNode r : object.path("metadata").path("ownerReferences")) {
      refs.add(new OwnerReference(r.path("apiVersion").asText(""), r.path("kind").asText(""),
          r.path("name").asText(""), r.path("uid").asText(""), r.path("blockOwnerDeletion").asBoolean(false)));
    }
    return refs;
  }

  /** The API group of {@link #apiVersion} ("" for the core group). */
  public String group() {
    int slash = apiVersion.indexOf('/');
    return slash < 0 ? "" : apiVersion.substring(0, slash);
  }
}
