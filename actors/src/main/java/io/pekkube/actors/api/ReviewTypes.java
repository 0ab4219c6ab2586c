package io.pekkube.actors.api;

import io.pekkube.actors.api.ResourceType.NameRule;
import java.util.List;
import java.util.Set;

/**
 * The create-only review types of {@code authorization.k8s.io/v1} and {@code authentication.k8s.io/v1}:
 * a client POSTs a question and gets the answer back in status; nothing is stored, so they have no
 * LIST, WATCH or GET and no entity or hub.
 */
public final class ReviewTypes {
  public static final String AUTHORIZATION = "authorization.k8s.io";
  public static final String AUTHENTICATION = "authentication.k8s.io";
  public static final List<String> CREATE_ONLY = List.of("create");

  private ReviewTypes() {}

  public static final ResourceType SELF_SUBJECT_ACCESS_REVIEW = review(AUTHORIZATION, "SelfSubjectAccessReview",
      "selfsubjectaccessreviews", false);
  public static final ResourceType SELF_SUBJECT_RULES_REVIEW = review(AUTHORIZATION, "SelfSubjectRulesReview",
      "selfsubjectrulesreviews", false);
  public static final ResourceType SUBJECT_ACCESS_REVIEW = review(AUTHORIZATION, "SubjectAccessReview",
      "subjectaccessreviews", false);
  public static final ResourceType LOCAL_SUBJECT_ACCESS_REVIEW = review(AUTHORIZATION, "LocalSubjectAccessReview",
      "localsubjectaccessreviews", true);
  public static final ResourceType TOKEN_REVIEW = review(AUTHENTICATION, "TokenReview", "tokenreviews", false);
  public static final ResourceType SELF_SUBJECT_REVIEW = review(AUTHENTICATION, "SelfSubjectReview",
      "selfsubjectreviews", false);

  public static final List<ResourceType> ALL = List.of(
      SELF_SUBJECT_ACCESS_REVIEW, SELF_SUBJECT_RULES_REVIEW, SUBJECT_ACCESS_REVIEW, LOCAL_SUBJECT_ACCESS_REVIEW,
      TOKEN_REVIEW, SELF_SUBJECT_REVIEW);

  public static boolean isReview(ResourceType type) {
    return (type.group().equals(AUTHORIZATION) || type.group().equals(AUTHENTICATION))
        && type.verbs().equals(CREATE_ONLY);
  }

  private static ResourceType review(String group, String kind, String plural, boolean namespaced) {
    return new ResourceType(group, "v1", kind, plural, kind.toLowerCase(), namespaced, List.of(), List.of(),
        CREATE_ONLY, Set.of(), NameRule.PATH_SEGMENT, false, Set.of());
  }
}
