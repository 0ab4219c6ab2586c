package io.pekkube.http.routes.scale;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.pekkube.actors.api.Json;
import io.pekkube.actors.api.selection.LabelSelector;
import io.pekkube.actors.api.validation.FieldError;
import java.util.ArrayList;
import java.util.List;

/**
 * The {@code autoscaling/v1 Scale} view of a replicated object, as the Kubernetes registries of
 * Deployments, ReplicaSets and StatefulSets derive it ({@code scaleFromDeployment} and friends):
 * spec.replicas from the parent's spec, status.replicas from its status, status.selector the
 * parent's label selector in string form. Pure functions.
 */
public final class Scales {
  public static final String GROUP = "autoscaling";
  public static final String API_VERSION = "autoscaling/v1";
  public static final String KIND = "Scale";
  /** What the apps types default spec.replicas to when a client leaves it out. */
  static final int DEFAULT_REPLICAS = 1;

  private Scales() {}

  public static ObjectNode of(JsonNode parent) {
    ObjectNode scale = Json.object();
    scale.put("apiVersion", API_VERSION);
    scale.put("kind", KIND);
    ObjectNode meta = scale.putObject("metadata");
    for (String field : List.of("name", "namespace", "uid", "resourceVersion", "creationTimestamp")) {
      JsonNode v = parent.path("metadata").get(field);
      if (v != null && !v.isNull()) {
        meta.set(field, v.deepCopy());
      }
    }
    int replicas = replicas(parent);
    ObjectNode spec = scale.putObject("spec");
    // ScaleSpec.replicas is omitempty in autoscaling/v1.
    if (replicas != 0) {
      spec.put("replicas", replicas);
    }
    ObjectNode status = scale.putObject("status");
    status.put("replicas", parent.path("status").path("replicas").asInt(0));
    String selector = LabelSelector.fromJson(parent.path("spec").get("selector")).toString();
    if (!selector.isEmpty()) {
      status.put("selector", selector);
    }
    return scale;
  }

  static int replicas(JsonNode parent) {
    JsonNode r = parent.path("spec").get("replicas");
    return r == null || r.isNull() ? DEFAULT_REPLICAS : r.asInt();
  }

  /** {@code ValidateScale}: only spec.replicas can be wrong. */
  public static List<FieldError> validate(JsonNode scale) {
    List<FieldError> errors = new ArrayList<>();
    JsonNode replicas = scale.path("spec").path("replicas");
    if (!replicas.isMissingNode() && !replicas.isNull() && !replicas.canConvertToInt()) {
      errors.add(FieldError.invalid("spec.replicas", replicas, "must be an integer"));
    } else if (replicas.asInt(0) < 0) {
      errors.add(FieldError.invalid("spec.replicas", replicas.asInt(), "must be greater than or equal to 0"));
    }
    return errors;
  }

  /**
   * The parent with the scale's spec.replicas applied, carrying the scale's resourceVersion as the
   * precondition of the write (none when the scale has none).
   */
  public static ObjectNode applyTo(ObjectNode parent, JsonNode scale) {
    ObjectNode next = parent.deepCopy();
    ((ObjectNode) next.with("spec")).put("replicas", scale.path("spec").path("replicas").asInt(0));
    String rv = Json.meta(scale, "resourceVersion");
    if (rv.isEmpty()) {
      Json.metadata(next).remove("resourceVersion");
    } else {
      Json.metadata(next).put("resourceVersion", rv);
    }
    return next;
  }
}
