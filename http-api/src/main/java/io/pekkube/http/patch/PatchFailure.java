package io.pekkube.http.patch;

import io.pekkube.actors.api.ApiError;
import java.util.List;

/** A patch that cannot be applied, with the Status Kubernetes answers for it. */
public final class PatchFailure extends RuntimeException {
  private final transient ApiError error;

  public PatchFailure(ApiError error) {
    super(error.message(), null, false, false);
    this.error = error;
  }

  public ApiError error() {
    return error;
  }

  /** 400: the patch document itself is malformed. */
  public static PatchFailure badRequest(String message) {
    return new PatchFailure(ApiError.badRequest(message));
  }

  /**
   * 422 as Kubernetes answers a patch that is well formed but does not apply to the object (a failed
   * {@code test}, a missing path): its generic message, the reason in the cause.
   */
  public static PatchFailure unprocessable(String why) {
    return new PatchFailure(new ApiError(422, "Invalid",
        "the server rejected our request due to an error in our request",
        new ApiError.Details("", "", "", List.of(new ApiError.Cause("UnexpectedServerResponse", why, ""))),
        null));
  }
}
