package io.pekkube.http.routes.deletion;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.pekkube.actors.api.ApiError;
import io.pekkube.actors.api.Json;
import io.pekkube.actors.api.validation.FieldError;
import io.pekkube.http.routes.Bodies;
import io.pekkube.http.routes.Replies;
import java.util.List;
import java.util.Optional;
import org.apache.pekko.http.javadsl.model.Query;

/**
 * The {@code DeleteOptions} of a DELETE body or an Eviction: preconditions (uid, resourceVersion),
 * dryRun (kubectl {@code delete --dry-run=server} sends {@code {"dryRun":["All"]}} in the body), and
 * the propagation policy, checked as {@code ValidateDeleteOptions} checks it.
 *
 * <p>The policy goes to the object's entity, which sets the matching garbage-collection finalizer
 * ({@code DeletionFinalizers}); the garbage collector does the rest. The deprecated
 * {@code orphanDependents} is read as Orphan (true) or Background (false); {@code legacyCascade} records
 * that it was false, the one case where Kubernetes answers 202 to a deletion left pending.
 * {@code gracePeriodSeconds} is null when the request named none (the object's default applies).
 */
public record DeleteOptions(String uid, String resourceVersion, boolean dryRun, String propagationPolicy,
    boolean legacyCascade, Long gracePeriodSeconds, ApiError error) {
  public static final List<String> POLICIES = List.of("Foreground", "Background", "Orphan");
  private static final DeleteOptions NONE = new DeleteOptions("", "", false, "", false, null, null);

  /**
   * From a DELETE: its body, or when it has none its query parameters ({@code gracePeriodSeconds},
   * {@code propagationPolicy}, {@code orphanDependents}), as the API server's delete handler reads them.
   */
  public static DeleteOptions from(String mediaType, byte[] body, Query query) {
    if (body.length == 0) {
      return fromQuery(query);
    }
    Bodies.Decoded d = Bodies.decode(mediaType, body);
    return d.error() != null ? failed(d.error()) : of(d.object());
  }

  private static DeleteOptions fromQuery(Query query) {
    ObjectNode options = Json.object();
    Optional<String> grace = query.get("gracePeriodSeconds");
    if (grace.isPresent()) {
      try {
        options.put("gracePeriodSeconds", Long.parseLong(grace.get()));
      } catch (NumberFormatException e) {
        return failed(ApiError.badRequest("invalid value for gracePeriodSeconds: \"" + grace.get()
            + "\" is not an integer"));
      }
    }
    query.get("propagationPolicy").ifPresent(p -> options.put("propagationPolicy", p));
    Optional<String> orphan = query.get("orphanDependents");
    if (orphan.isPresent()) {
      if (!orphan.get().equals("true") && !orphan.get().equals("false")) {
        return failed(ApiError.badRequest("invalid value for orphanDependents: \"" + orphan.get()
            + "\" is not a boolean"));
      }
      options.put("orphanDependents", Boolean.parseBoolean(orphan.get()));
    }
    return options.isEmpty() ? NONE : of(options);
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
    JsonNode grace = options.path("gracePeriodSeconds");
    if (!grace.isMissingNode() && !grace.isNull() && !(grace.isIntegralNumber() && grace.canConvertToLong())) {
      return failed(ApiError.badRequest("gracePeriodSeconds must be an integer, not " + grace));
    }
    JsonNode pre = options.path("preconditions");
    return new DeleteOptions(pre.path("uid").asText(""), pre.path("resourceVersion").asText(""), dryRun, propagation,
        orphan.isBoolean() && !orphan.booleanValue(), grace.isNumber() ? Long.valueOf(grace.longValue()) : null, null);
  }

  private static ApiError invalid(FieldError error) {
    return Replies.invalid("meta.k8s.io", "DeleteOptions", "", List.of(error));
  }

  private static DeleteOptions failed(ApiError error) {
    return new DeleteOptions("", "", false, "", false, null, error);
  }
}
