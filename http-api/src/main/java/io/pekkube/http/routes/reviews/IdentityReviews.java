package io.pekkube.http.routes.reviews;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.pekkube.actors.api.ApiError;
import io.pekkube.actors.api.ReviewTypes;
import io.pekkube.actors.authz.UserInfo;

/**
 * The {@code authentication.k8s.io/v1} reviews: SelfSubjectReview ({@code kubectl auth whoami})
 * tells the requester who the server thinks they are; TokenReview checks a bearer token. The server
 * has no token authentication yet, so no token is recognised, and the answer says so.
 */
public final class IdentityReviews {
  static final String NO_TOKEN_AUTHENTICATION =
      "this server has no token authentication yet: no bearer token can be verified";

  private IdentityReviews() {}

  public static AccessReviews.Answer review(String kind, ObjectNode review, UserInfo requester) {
    ObjectNode out = review.deepCopy();
    out.put("apiVersion", ReviewTypes.AUTHENTICATION + "/v1");
    out.put("kind", kind);
    out.with("metadata").putNull("creationTimestamp");
    if (kind.equals("SelfSubjectReview")) {
      out.remove("spec");
      userInfo(out.putObject("status").putObject("userInfo"), requester);
      return new AccessReviews.Answer(out, null);
    }
    if (review.path("spec").path("token").asText("").isEmpty()) {
      return new AccessReviews.Answer(null, ApiError.badRequest("token is required for TokenReview in authentication"));
    }
    ObjectNode status = out.putObject("status");
    status.put("authenticated", false);
    status.put("error", NO_TOKEN_AUTHENTICATION);
    return new AccessReviews.Answer(out, null);
  }

  private static void userInfo(ObjectNode target, UserInfo user) {
    target.put("username", user.username());
    if (!user.uid().isEmpty()) {
      target.put("uid", user.uid());
    }
    user.groups().forEach(target.withArray("groups")::add);
  }
}
