package io.pekkube.http.routes.reviews;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.pekkube.actors.api.ApiError;
import io.pekkube.actors.api.ReviewTypes;
import io.pekkube.actors.api.validation.FieldError;
import io.pekkube.actors.authz.Authorizer;
import io.pekkube.actors.authz.UserInfo;
import io.pekkube.http.routes.Replies;
import java.util.ArrayList;
import java.util.List;

/**
 * The {@code authorization.k8s.io/v1} reviews: SelfSubjectAccessReview ({@code kubectl auth can-i}),
 * SubjectAccessReview, LocalSubjectAccessReview and SelfSubjectRulesReview ({@code can-i --list}).
 * Each answers the posted object with its status filled in by the {@link Authorizer}.
 */
public final class AccessReviews {
  private final Authorizer authorizer;

  public AccessReviews(Authorizer authorizer) {
    this.authorizer = authorizer;
  }

  /** The reviewed object to answer with 201, or the error. */
  public record Answer(ObjectNode review, ApiError error) {}

  public Answer review(String kind, String urlNamespace, ObjectNode review, UserInfo requester) {
    return switch (kind) {
      case "SelfSubjectRulesReview" -> rules(review, requester);
      case "SelfSubjectAccessReview" -> access(kind, review, requester, "");
      case "LocalSubjectAccessReview" -> access(kind, review, subject(review), urlNamespace);
      default -> access(kind, review, subject(review), "");
    };
  }

  private Answer access(String kind, ObjectNode review, UserInfo user, String urlNamespace) {
    JsonNode spec = review.path("spec");
    List<FieldError> errors = validate(kind, spec);
    if (!errors.isEmpty()) {
      return new Answer(null, Replies.invalid(ReviewTypes.AUTHORIZATION, kind, "", errors));
    }
    JsonNode ra = spec.path("resourceAttributes");
    if (!urlNamespace.isEmpty() && !urlNamespace.equals(ra.path("namespace").asText(urlNamespace))) {
      return new Answer(null, ApiError.badRequest("spec.resourceAttributes.namespace must match namespace: "
          + urlNamespace));
    }
    Authorizer.Attributes attributes = ra.isObject()
        ? new Authorizer.Attributes(user, ra.path("verb").asText(""), ra.path("group").asText(""),
            ra.path("version").asText(""), ra.path("resource").asText(""), ra.path("subresource").asText(""),
            ra.path("namespace").asText(""), ra.path("name").asText(""), "")
        : new Authorizer.Attributes(user, spec.path("nonResourceAttributes").path("verb").asText(""), "", "", "", "",
            "", "", spec.path("nonResourceAttributes").path("path").asText(""));
    Authorizer.Decision decision = authorizer.authorize(attributes);
    ObjectNode out = answered(review, kind);
    ObjectNode status = out.putObject("status");
    status.put("allowed", decision.allowed());
    if (decision.denied()) {
      status.put("denied", true);
    }
    if (!decision.reason().isEmpty()) {
      status.put("reason", decision.reason());
    }
    return new Answer(out, null);
  }

  /** {@code ValidateSubjectAccessReviewSpec} and its self/local variants. */
  static List<FieldError> validate(String kind, JsonNode spec) {
    List<FieldError> errors = new ArrayList<>();
    boolean resource = spec.path("resourceAttributes").isObject();
    boolean nonResource = spec.path("nonResourceAttributes").isObject();
    if (resource && nonResource) {
      errors.add(FieldError.invalid("spec.nonResourceAttributes", spec.get("nonResourceAttributes"),
          "cannot be specified in combination with resourceAttributes"));
    }
    if (!resource && !nonResource) {
      errors.add(FieldError.invalid("spec.resourceAttributes", null,
          "exactly one of nonResourceAttributes or resourceAttributes must be specified"));
    }
    if (kind.equals("SubjectAccessReview") || kind.equals("LocalSubjectAccessReview")) {
      if (spec.path("user").asText("").isEmpty() && spec.path("groups").isEmpty()) {
        errors.add(FieldError.invalid("spec.user", "", "at least one of user or group must be specified"));
      }
    }
    return errors;
  }

  private Answer rules(ObjectNode review, UserInfo user) {
    String namespace = review.path("spec").path("namespace").asText("");
    if (namespace.isEmpty()) {
      return new Answer(null, ApiError.badRequest("no namespace on request"));
    }
    Authorizer.Rules rules = authorizer.rulesFor(user, namespace);
    ObjectNode out = answered(review, "SelfSubjectRulesReview");
    ObjectNode status = out.putObject("status");
    ArrayNode resourceRules = status.putArray("resourceRules");
    for (Authorizer.ResourceRule r : rules.resourceRules()) {
      ObjectNode rule = resourceRules.addObject();
      strings(rule.putArray("verbs"), r.verbs());
      strings(rule.putArray("apiGroups"), r.apiGroups());
      strings(rule.putArray("resources"), r.resources());
      if (!r.resourceNames().isEmpty()) {
        strings(rule.putArray("resourceNames"), r.resourceNames());
      }
    }
    ArrayNode nonResourceRules = status.putArray("nonResourceRules");
    for (Authorizer.NonResourceRule r : rules.nonResourceRules()) {
      ObjectNode rule = nonResourceRules.addObject();
      strings(rule.putArray("verbs"), r.verbs());
      strings(rule.putArray("nonResourceURLs"), r.nonResourceURLs());
    }
    status.put("incomplete", rules.incomplete());
    if (!rules.evaluationError().isEmpty()) {
      status.put("evaluationError", rules.evaluationError());
    }
    return new Answer(out, null);
  }

  private static UserInfo subject(ObjectNode review) {
    JsonNode spec = review.path("spec");
    List<String> groups = new ArrayList<>();
    spec.path("groups").forEach(g -> groups.add(g.asText()));
    return new UserInfo(spec.path("user").asText(""), spec.path("uid").asText(""), groups);
  }

  static ObjectNode answered(ObjectNode review, String kind) {
    ObjectNode out = review.deepCopy();
    out.put("apiVersion", ReviewTypes.AUTHORIZATION + "/v1");
    out.put("kind", kind);
    ObjectNode meta = out.with("metadata");
    meta.putNull("creationTimestamp");
    return out;
  }

  private static void strings(ArrayNode array, List<String> values) {
    values.forEach(array::add);
  }
}
