package io.pekkube.http.patch;

import io.pekkube.actors.api.ApiError;
import java.util.ArrayList;
import java.util.List;

/**
 * The {@code fieldManager} of a write: the query parameter, or else the first segment of the
 * User-Agent (kubectl sends e.g. {@code kubectl-client-side-apply}, {@code kubectl-edit} as the
 * parameter; other clients are named by their agent), as Kubernetes' managerOrUserAgent does.
 */
public final class FieldManagerName {
  static final int MAX_LENGTH = 128;

  private FieldManagerName() {}

  public static String of(String fieldManager, String userAgent) {
    if (!fieldManager.isEmpty()) {
      return fieldManager;
    }
    String prefix = userAgent == null ? "" : userAgent.split("/", 2)[0];
    return prefix.length() > MAX_LENGTH ? prefix.substring(0, MAX_LENGTH) : prefix;
  }

  /** PatchOptions validation (422 Invalid, kind PatchOptions), or null when valid. */
  public static ApiError validate(String fieldManager, boolean apply, boolean forceGiven) {
    List<ApiError.Cause> causes = new ArrayList<>();
    if (apply && fieldManager.isEmpty()) {
      causes.add(new ApiError.Cause("FieldValueRequired", "Required value: is required for apply patch",
          "fieldManager"));
    }
    if (!apply && forceGiven) {
      causes.add(new ApiError.Cause("FieldValueForbidden", "Forbidden: may not be specified for non-apply patch",
          "force"));
    }
    causes.addAll(validateName(fieldManager));
    return invalid("PatchOptions", causes);
  }

  /** The checks of a fieldManager on create and update (CreateOptions/UpdateOptions). */
  public static ApiError validateForWrite(String fieldManager, String kind) {
    return invalid(kind, validateName(fieldManager));
  }

  private static List<ApiError.Cause> validateName(String fieldManager) {
    List<ApiError.Cause> causes = new ArrayList<>();
    if (fieldManager.length() > MAX_LENGTH) {
      causes.add(new ApiError.Cause("FieldValueTooLong", "Too long: may not be more than 128 bytes",
          "fieldManager"));
    }
    if (!fieldManager.chars().allMatch(c -> c >= 0x20 && c != 0x7f)) {
      causes.add(new ApiError.Cause("FieldValueInvalid", "Invalid value: \"" + fieldManager
          + "\": must only contain printable characters", "fieldManager"));
    }
    return causes;
  }

  private static ApiError invalid(String kind, List<ApiError.Cause> causes) {
    if (causes.isEmpty()) {
      return null;
    }
    StringBuilder msg = new StringBuilder(kind).append(".meta.k8s.io \"\" is invalid: ");
    for (int i = 0; i < causes.size(); i++) {
      msg.append(i > 0 ? ", " : "").append(causes.get(i).field()).append(": ").append(causes.get(i).message());
    }
    return new ApiError(422, "Invalid", msg.toString(),
        new ApiError.Details("", "meta.k8s.io", kind, List.copyOf(causes)), null);
  }
}
