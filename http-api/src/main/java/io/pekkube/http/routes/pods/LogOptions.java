package io.pekkube.http.routes.pods;

import io.pekkube.actors.api.validation.FieldError;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;

/**
 * The query of a {@code pods/log} request ({@code PodLogOptions}). {@link #parse} fails with a 400
 * message for a value that does not decode; {@link #validate} gives the field errors of
 * {@code ValidatePodLogOptions} (answered as 422 Invalid).
 */
public record LogOptions(String container, boolean follow, boolean previous, boolean timestamps, Long tailLines,
    Long limitBytes, Long sinceSeconds, Instant sinceTime) {

  /** Decodes the query parameters; throws IllegalArgumentException with the message to answer. */
  public static LogOptions parse(Function<String, Optional<String>> query) {
    return new LogOptions(
        query.apply("container").orElse(""),
        bool(query, "follow"),
        bool(query, "previous"),
        bool(query, "timestamps"),
        number(query, "tailLines"),
        number(query, "limitBytes"),
        number(query, "sinceSeconds"),
        query.apply("sinceTime").map(LogOptions::time).orElse(null));
  }

  public List<FieldError> validate() {
    List<FieldError> errors = new ArrayList<>();
    if (tailLines != null && tailLines < 0) {
      errors.add(FieldError.invalid("tailLines", tailLines, "must be greater than or equal to 0"));
    }
    if (limitBytes != null && limitBytes < 1) {
      errors.add(FieldError.invalid("limitBytes", limitBytes, "must be greater than 0"));
    }
    if (sinceSeconds != null && sinceTime != null) {
      errors.add(FieldError.forbidden("", "at most one of `sinceTime` or `sinceSeconds` may be specified"));
    } else if (sinceSeconds != null && sinceSeconds < 1) {
      errors.add(FieldError.invalid("sinceSeconds", sinceSeconds, "must be greater than 0"));
    }
    return errors;
  }

  /** Go's {@code strconv.ParseBool}, which decodes boolean query parameters. */
  private static boolean bool(Function<String, Optional<String>> query, String name) {
    Optional<String> v = query.apply(name);
    if (v.isEmpty()) {
      return false;
    }
    return switch (v.get()) {
      case "1", "t", "T", "true", "TRUE", "True", "" -> true;
      case "0", "f", "F", "false", "FALSE", "False" -> false;
      default -> throw new IllegalArgumentException("invalid value for " + name + ": strconv.ParseBool: parsing \""
          + v.get() + "\": invalid syntax");
    };
  }

  private static Long number(Function<String, Optional<String>> query, String name) {
    Optional<String> v = query.apply(name);
    if (v.isEmpty()) {
      return null;
    }
    try {
      return Long.parseLong(v.get());
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("invalid value for " + name + ": strconv.ParseInt: parsing \"" + v.get()
          + "\": invalid syntax");
    }
  }

  private static Instant time(String value) {
    try {
      return Instant.parse(value);
    } catch (DateTimeParseException e) {
      throw new IllegalArgumentException("invalid value for sinceTime: parsing time \"" + value
          + "\" as RFC3339 failed");
    }
  }
}
