package io.pekkube.http.fieldvalidation;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.pekkube.actors.api.ApiError;
import io.pekkube.actors.api.ResourceType;
import io.pekkube.actors.api.schema.Definition;
import io.pekkube.actors.api.schema.SchemaCatalog;
import io.pekkube.actors.api.schema.UnknownFields;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The {@code fieldValidation} query parameter of POST, PUT and PATCH: what happens to unknown and
 * duplicate fields of a built-in type. In every mode unknown fields are dropped (Go decoding does
 * not keep them) and the last of duplicate keys wins; Strict refuses the request instead, Warn
 * (Kubernetes' default since 1.23) reports each in a {@code Warning} header, Ignore says nothing.
 * Kinds without a schema (custom resources) pass through unchanged.
 */
public final class FieldValidation {
  /** The values of the query parameter. */
  public enum Mode { STRICT, WARN, IGNORE }

  private final SchemaCatalog catalog;

  public FieldValidation(SchemaCatalog catalog) {
    this.catalog = catalog;
  }

  /** The mode a request asks for; Warn when absent. */
  public static Mode mode(Optional<String> parameter) {
    String value = parameter.orElse("");
    return switch (value) {
      case "", "Warn" -> Mode.WARN;
      case "Strict" -> Mode.STRICT;
      case "Ignore" -> Mode.IGNORE;
      default -> throw new IllegalArgumentException("fieldValidation parameter unsupported: " + value);
    };
  }

  /** What a request gets: a rejection, or the warnings to send with its answer. */
  public record Outcome(ApiError rejection, List<String> warnings) {
    public static final Outcome CLEAN = new Outcome(null, List.of());
  }

  /**
   * The problems of {@code object} as Kubernetes words them ({@code unknown field "spec.foo"},
   * {@code duplicate field "metadata.name"}), duplicates first; the unknown fields are removed
   * from {@code object}.
   */
  public List<String> check(ResourceType type, ObjectNode object, List<String> duplicatePaths) {
    List<String> problems = new ArrayList<>();
    for (String d : duplicatePaths) {
      problems.add("duplicate field \"" + d + "\"");
    }
    Optional<Definition> kind = catalog.kind(type);
    if (kind.isPresent()) {
      for (String u : UnknownFields.prune(catalog, kind.get(), object)) {
        problems.add("unknown field \"" + u + "\"");
      }
    }
    return problems;
  }

  /** Checks {@code object} and decides by {@code mode}; unknown fields are removed in every mode. */
  public Outcome apply(Mode mode, ResourceType type, ObjectNode object, List<String> duplicatePaths) {
    List<String> problems = check(type, object, duplicatePaths);
    if (problems.isEmpty() || mode == Mode.IGNORE) {
      return Outcome.CLEAN;
    }
    if (mode == Mode.WARN) {
      return new Outcome(null, problems);
    }
    return new Outcome(ApiError.badRequest(type.kind() + " in version \"" + type.version()
        + "\" cannot be handled as a " + type.kind() + ": strict decoding error: " + String.join(", ", problems)),
        List.of());
  }
}
