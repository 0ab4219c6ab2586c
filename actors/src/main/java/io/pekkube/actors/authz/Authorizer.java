package io.pekkube.actors.authz;

import java.util.List;

/**
 * Decides whether a user may do something, and which rules a user has in a namespace: what the
 * access reviews answer. RBAC plugs in here; until then {@link #ALLOW_ALL} answers every request.
 */
public interface Authorizer {

  /** A request to decide: a resource request (resource set) or a non-resource one (path set). */
  record Attributes(UserInfo user, String verb, String group, String version, String resource,
      String subresource, String namespace, String name, String path) {
    public boolean isResourceRequest() {
      return path == null || path.isEmpty();
    }
  }

  /** {@code allowed} and {@code denied} as in SubjectAccessReviewStatus; neither means "no opinion". */
  record Decision(boolean allowed, boolean denied, String reason) {}

  record ResourceRule(List<String> verbs, List<String> apiGroups, List<String> resources,
      List<String> resourceNames) {}

  record NonResourceRule(List<String> verbs, List<String> nonResourceURLs) {}

  /** The rules of a user in a namespace; {@code incomplete} when an authorizer could not list them all. */
  record Rules(List<ResourceRule> resourceRules, List<NonResourceRule> nonResourceRules, boolean incomplete,
      String evaluationError) {}

  Decision authorize(Attributes request);

  Rules rulesFor(UserInfo user, String namespace);

  /** Every request allowed: the server has one user, the administrator. */
  Authorizer ALLOW_ALL = new Authorizer() {
    @Override
    public Decision authorize(Attributes request) {
      return new Decision(true, false, "");
    }

    @Override
    public Rules rulesFor(UserInfo user, String namespace) {
      return new Rules(
          List.of(new ResourceRule(List.of("*"), List.of("*"), List.of("*"), List.of())),
          List.of(new NonResourceRule(List.of("*"), List.of("*"))), false, "");
    }
  };
}
