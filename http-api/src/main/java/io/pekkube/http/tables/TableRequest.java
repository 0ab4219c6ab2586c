package io.pekkube.http.tables;

import io.pekkube.actors.api.ApiError;
import io.pekkube.http.negotiation.MediaRange;
import java.util.List;
import java.util.Optional;

/**
 * A client's request for a Table ({@code Accept: application/json;as=Table;g=meta.k8s.io;v=v1})
 * and what each row carries ({@code ?includeObject=Metadata|Object|None}).
 *
 * @param version "v1" or "v1beta1", the meta.k8s.io version of the Table and of its
 *                PartialObjectMetadata rows
 */
public record TableRequest(String version, Include include) {

  /** What a row's {@code object} holds. */
  public enum Include { METADATA, OBJECT, NONE }

  public static final String GROUP = "meta.k8s.io";
  private static final List<String> VERSIONS = List.of("v1", "v1beta1");

  /** The outcome of reading Accept: plain JSON, a Table, or a refusal (406 or 400). */
  public record Negotiated(Optional<TableRequest> table, ApiError error) {
    static Negotiated plain() {
      return new Negotiated(Optional.empty(), null);
    }
  }

  /**
   * Takes the client's first alternative that can be served: a Table, or the plain object.
   * Alternatives in other encodings (protobuf) are left to their own handlers and read as plain
   * here; only a client that accepts nothing but conversions this server lacks gets 406.
   */
  public static Negotiated negotiate(String accept, Optional<String> includeObject) {
    List<MediaRange> ranges = MediaRange.parseAll(accept);
    boolean onlyUnservedConversions = !ranges.isEmpty();
    for (MediaRange range : ranges) {
      if (!range.acceptsJson()) {
        onlyUnservedConversions &= range.asksConversion();
        continue;
      }
      if (!range.asksConversion()) {
        return Negotiated.plain();
      }
      if (range.param("as").equals("Table") && range.param("g").equals(GROUP)
          && VERSIONS.contains(range.param("v"))) {
        return include(range.param("v"), includeObject.orElse(""));
      }
    }
    if (onlyUnservedConversions) {
      return new Negotiated(Optional.empty(), ApiError.of(406, "NotAcceptable",
          "only the following media types are accepted: application/json, application/yaml,"
              + " application/json;as=Table;g=meta.k8s.io;v=v1"));
    }
    return Negotiated.plain();
  }

  private static Negotiated include(String version, String includeObject) {
    Include include = switch (includeObject) {
      case "", "Metadata" -> Include.METADATA;
      case "Object" -> Include.OBJECT;
      case "None" -> Include.NONE;
      default -> null;
    };
    if (include == null) {
      return new Negotiated(Optional.empty(), ApiError.badRequest(
          "Unable to convert to Table as requested: includeObject: Unsupported value: \"" + includeObject
              + "\": supported values: \"Metadata\", \"None\", \"Object\""));
    }
    return new Negotiated(Optional.of(new TableRequest(version, include)), null);
  }

  public String apiVersion() {
    return GROUP + "/" + version;
  }
}
