package io.pekkube.actors.api;

import java.util.List;

/**
 * A failure a client can see, as a value: the HTTP layer turns it into a Kubernetes {@code Status}.
 * Codes and reasons are the ones Kubernetes gives for the same situation.
 */
public record ApiError(
    int code, String reason, String message, Details details, Integer retryAfterSeconds) {

  public record Details(String name, String group, String kind, List<Cause> causes) {}

  /** One field error, as in {@code details.causes}. */
  public record Cause(String reason, String message, String field) {}

  public static ApiError of(int code, String reason, String message) {
    return new ApiError(code, reason, message, null, null);
  }

  private static Details details(ResourceType type, String name) {
    return new Details(name, type.group(), type.plural(), List.of());
  }

  /** The "kind \"name\"" prefix Kubernetes uses: plural.group for non-core types. */
  private static String qualified(ResourceType type) {
    return type.group().isEmpty() ? type.plural() : type.plural() + "." + type.group();
  }

  public static ApiError notFound(ResourceType type, String name) {
    return new ApiError(404, "NotFound",
        qualified(type) + " \"" + name + "\" not found", details(type, name), null);
  }

  public static ApiError alreadyExists(ResourceType type, String name) {
    return new ApiError(409, "AlreadyExists",
        qualified(type) + " \"" + name + "\" already exists", details(type, name), null);
  }

  public static ApiError conflict(ResourceType type, String name, String why) {
    return new ApiError(409, "Conflict",
        "Operation cannot be fulfilled on " + qualified(type) + " \"" + name + "\": " + why,
        details(type, name), null);
  }

  public static ApiError staleResourceVersion(ResourceType type, String name) {
    return conflict(type, name,
        "the object has been modified; please apply your changes to the latest version and try again");
  }

  public static ApiError invalid(ResourceType type, String name, List<Cause> causes) {
    StringBuilder msg = new StringBuilder(type.kind()).append(" \"").append(name).append("\" is invalid: ");
    for (int i = 0; i < causes.size(); i++) {
      if (i > 0) {
        msg.append(", ");
      }
      Cause c = causes.get(i);
      msg.append(c.field()).append(": ").append(c.message());
    }
    if (causes.size() > 1) {
      msg.insert(msg.indexOf(": ") + 2, "[").append("]");
    }
    return new ApiError(422, "Invalid", msg.toString(),
        new Details(name, type.group(), type.kind(), List.copyOf(causes)), null);
  }

  public static ApiError badRequest(String message) {
    return of(400, "BadRequest", message);
  }

  public static ApiError gone(String message) {
    return new ApiError(410, "Expired", message, null, null);
  }

  public static ApiError forbidden(ResourceType type, String name, String why) {
    return new ApiError(403, "Forbidden",
        qualified(type) + " \"" + name + "\" is forbidden: " + why, details(type, name), null);
  }

  public static ApiError methodNotAllowed(String message) {
    return of(405, "MethodNotAllowed", message);
  }

  public static ApiError unavailable(String message) {
    return new ApiError(503, "ServiceUnavailable", message, null, 1);
  }

  public static ApiError timeout(String message) {
    return new ApiError(504, "Timeout", message, null, 1);
  }

  public static ApiError internal(String message) {
    return of(500, "InternalError", message);
  }
}
