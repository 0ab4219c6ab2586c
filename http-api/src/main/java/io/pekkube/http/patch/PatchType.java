package io.pekkube.http.patch;

import io.pekkube.actors.api.ApiError;
import java.util.Optional;

/** The four patch forms of the Kubernetes API, by their Content-Type. */
public enum PatchType {
  JSON("application/json-patch+json"),
  MERGE("application/merge-patch+json"),
  STRATEGIC("application/strategic-merge-patch+json"),
  APPLY("application/apply-patch+yaml");

  private final String mediaType;

  PatchType(String mediaType) {
    this.mediaType = mediaType;
  }

  public String mediaType() {
    return mediaType;
  }

  public static Optional<PatchType> of(String mediaType) {
    for (PatchType t : values()) {
      if (t.mediaType.equals(mediaType)) {
        return Optional.of(t);
      }
    }
    return Optional.empty();
  }

  /** The 415 a PATCH with another Content-Type gets, listing the supported ones. */
  public static ApiError unsupported(String mediaType) {
    return ApiError.of(415, "UnsupportedMediaType", "the body of the request was in an unknown format - "
        + "accepted media types include: application/json-patch+json, application/merge-patch+json, "
        + "application/apply-patch+yaml, application/strategic-merge-patch+json (got \"" + mediaType + "\")");
  }
}
