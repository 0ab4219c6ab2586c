package io.pekkube.http.routes.deletion;

import com.fasterxml.jackson.databind.JsonNode;
import io.pekkube.actors.api.ApiError;
import io.pekkube.actors.api.validation.FieldError;
import io.pekkube.http.routes.Bodies;
import io.pekkube.http.routes.Replies;
import java.util.List;

/**
 * The {@code DeleteOptions} of a DELETE body or an Eviction: preconditions (uid, resourceVersion),
 * dryRun (kubectl {@code delete --dry-run=server} sends {@code {"dryRun":["All"]}} in the body), and
 * the propagation policy, checked as {@code ValidateDeleteOptions} checks it.
 *
 * <p>The policy goes to the object's entity, which sets the matching garbage-collection finalizer
 * ({@code DeletionFinalizers}); the garbage collector does the rest. The deprecated
 * {@code orphanDependents} is read as Orphan (true) or Background (false); {@code legacyCascade} records
 * that it was false, the one case where Kubernetes answers 202 to a deletion left pending.
 */
public record DeleteOptions(String uid, String resourceVersion, boolean dryRun, String propagationPolicy,
    boolean legacyCascade, ApiError error) {
  public static final List<String> POLICIES = List.of("Foreground", "Background", "Orphan");
  private static final DeleteOptions NONE = new DeleteOptions("", "", false, "", false, null);

  public static DeleteOptions from(String mediaType, byte[] body) {
    if (body.length == 0) {
      return NONE;
    }
    Bodies.Decoded d = Bodies.decode(mediaType, body);
    return d.error() != null ? failed(d.error()) : of(d.object());
  }

  /** From a decoded DeleteOptions object (a DELETE body, or an Eviction's deleteOptions). */
  public static DeleteOptions of(JsonNode options) {
    if (options == null || options.isNull() || options.isMissingNode()) {
      return NONE;
    }
    boolean dryRun = false;
    JsonNode dry = options.path("dryRun");
    if (!dry.isMissingNode() && !dry.isNull()) {
      if (!dry.isArray()) {
        return failed(ApiError.badRequest("dryRun must be a list of strings"));
      }
      for (JsonNode v : dry) {
        if (!v.asText("").equals("All")) {
          return failed(ApiError.badRequest("Invalid dryRun value: " + v.asText("") + " (supported: All)"));
        }
        dryRun = true;
      }
    }
    JsonNode policy = options.path("propagationPolicy");
    String propagation = policy.isTextual() ? policy.textValue() : "";
    if (!policy.isMissingNode() && !policy.isNull()) {
      if (options.has("orphanDependents") && !options.get("orphanDependents").isNull()) {
        return failed(invalid(FieldError.invalid("propagationPolicy", propagation,
            "orphanDependents and deletionPropagation cannot be both set")));
      }
      if (!POLICIES.contains(propagation)) {
        return failed(invalid(FieldError.notSupported("propagationPolicy", policy.isTextual() ? propagation : policy,
            List.of("Foreground", "Background", "Orphan", "nil"))));
      }
    }
    JsonNode orphan = options.path("orphanDependents");
    if (propagation.isEmpty() && orphan.isBoolean()) {
      propagation = orphan.booleanValue() ? "Orphan" : "Background";
    }
    JsonNode pre = options.path("preconditions");
    return new DeleteOptions(pre.path("uid").asText(""), pre.path("resourceVersion").asText(""), dryRun, propagation,
        orphan.isBoolean() && !orphan.booleanValue(), null);
  }

  private static ApiError invalid(FieldError error) {
    return Replies.invalid("meta.k8s.io", "DeleteOptions", "", List.of(error));
  }

  private static DeleteOptions failed(ApiError error) {
    return new DeleteOptions("", "", false, "", false, error);
  }
}
