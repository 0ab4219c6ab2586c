package io.pekkube.actors.pods;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.pekkube.actors.api.ApiError;
import io.pekkube.actors.api.Json;
import io.pekkube.actors.api.ResourceType;
import io.pekkube.actors.api.validation.FieldError;
import io.pekkube.actors.resources.ObjectWrites;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * {@code pods/binding}: what the Kubernetes pod registry's {@code BindingREST} decides, as pure
 * functions. A pod is bound once: spec.nodeName is set, the Binding's annotations are copied, and
 * the PodScheduled condition becomes True, all in one write of the pod's entity. The Binding's uid
 * and resourceVersion, when given, must be the pod's (the scheduler names the uid it placed, so a
 * pod deleted and created again under the same name is not bound by a stale decision).
 */
public final class PodBinding {
  public static final String NAME = "binding";

  private PodBinding() {}

  /** {@code ValidatePodBinding}. */
  public static List<FieldError> validate(JsonNode binding) {
    List<FieldError> errors = new ArrayList<>();
    String kind = binding.path("target").path("kind").asText("");
    if (!kind.isEmpty() && !kind.equals("Node")) {
      errors.add(FieldError.notSupported("target.kind", kind, List.of("Node", "<empty>")));
    }
    if (binding.path("target").path("name").asText("").isEmpty()) {
      errors.add(FieldError.required("target.name", ""));
    }
    return errors;
  }

  /** The bound pod, or the 409 Kubernetes gives ({@code Operation cannot be fulfilled on pods/binding}). */
  public record Bound(ObjectNode pod, ApiError error) {}

  /**
   * The write a Binding makes of the current pod ({@code null}: none): 404 when there is none, 409 when
   * it cannot be bound, else the bound pod with its new resourceVersion.
   */
  public static ObjectWrites.Decision decide(ResourceType type, ObjectNode current, String name, JsonNode binding,
      Instant now, long revision) {
    if (current == null) {
      return new ObjectWrites.Fail(ApiError.notFound(type, name));
    }
    Bound bound = bind(current, binding, now);
    return bound.error() != null ? new ObjectWrites.Fail(bound.error())
        : ObjectWrites.derived(type, current, bound.pod(), revision);
  }

  public static Bound bind(ObjectNode pod, JsonNode binding, Instant now) {
    String name = Json.meta(pod, "name");
    String uid = Json.meta(binding, "uid");
    if (!uid.isEmpty() && !uid.equals(Json.meta(pod, "uid"))) {
      return conflict(name, "Precondition failed: UID in precondition: " + uid + ", UID in object meta: "
          + Json.meta(pod, "uid"));
    }
    String resourceVersion = Json.meta(binding, "resourceVersion");
    if (!resourceVersion.isEmpty() && !resourceVersion.equals(Json.meta(pod, "resourceVersion"))) {
      return conflict(name, "Precondition failed: ResourceVersion in precondition: " + resourceVersion
          + ", ResourceVersion in object meta: " + Json.meta(pod, "resourceVersion"));
    }
    if (pod.path("metadata").hasNonNull("deletionTimestamp")) {
      return conflict(name, "pod " + name + " is being deleted, cannot be assigned to a host");
    }
    String assigned = pod.path("spec").path("nodeName").asText("");
    if (!assigned.isEmpty()) {
      return conflict(name, "pod " + name + " is already assigned to node \"" + assigned + "\"");
    }
    ObjectNode next = pod.deepCopy();
    ((ObjectNode) next.with("spec")).put("nodeName", binding.path("target").path("name").asText());
    JsonNode annotations = binding.path("metadata").path("annotations");
    if (annotations.isObject() && !annotations.isEmpty()) {
      ObjectNode target = (ObjectNode) Json.metadata(next).with("annotations");
      for (Iterator<Map.Entry<String, JsonNode>> it = annotations.fields(); it.hasNext(); ) {
        Map.Entry<String, JsonNode> e = it.next();
        target.set(e.getKey(), e.getValue().deepCopy());
      }
    }
    markScheduled((ObjectNode) next.with("status"), now);
    return new Bound(next, null);
  }

  private static void markScheduled(ObjectNode status, Instant now) {
    ArrayNode conditions = status.withArray("conditions");
    for (JsonNode c : conditions) {
      if ("PodScheduled".equals(c.path("type").asText())) {
        ObjectNode condition = (ObjectNode) c;
        if (!"True".equals(condition.path("status").asText())) {
          condition.put("status", "True");
          condition.put("lastTransitionTime", ObjectWrites.timestamp(now));
        }
        condition.remove("reason");
        condition.remove("message");
        return;
      }
    }
    ObjectNode c = conditions.addObject();
    c.put("type", "PodScheduled");
    c.put("status", "True");
    c.putNull("lastProbeTime");
    c.put("lastTransitionTime", ObjectWrites.timestamp(now));
  }

  private static Bound conflict(String name, String why) {
    return new Bound(null, new ApiError(409, "Conflict",
        "Operation cannot be fulfilled on pods/binding \"" + name + "\": " + why,
        new ApiError.Details(name, "", "pods/binding", List.of()), null));
  }
}
