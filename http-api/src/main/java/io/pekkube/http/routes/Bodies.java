package io.pekkube.http.routes;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.pekkube.actors.api.ApiError;
import io.pekkube.actors.api.Json;

/** Turns a request body into an object tree, or into the Status a client should get. */
public final class Bodies {
  /** Kubernetes's limit on a request body. */
  public static final long MAX_BODY_BYTES = 3L * 1024 * 1024;

  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

  private Bodies() {}

  /** A decoded body or the error to answer. */
  public record Decoded(ObjectNode object, ApiError error) {}

  /**
   * Decodes a JSON or YAML body by its media type ("application/json", "application/yaml"); any other
   * type answers 415.
   */
  public static Decoded decode(String mediaType, byte[] body) {
    ObjectMapper mapper;
    if (mediaType.equals("application/json") || mediaType.isEmpty()) {
      mapper = Json.MAPPER;
    } else if (mediaType.equals("application/yaml") || mediaType.equals("application/x-yaml")
        || mediaType.equals("text/yaml")) {
      mapper = YAML;
    } else {
      return new Decoded(null, unsupported(mediaType));
    }
    if (body.length == 0) {
      return new Decoded(null, ApiError.badRequest("the request body is empty"));
    }
    try {
      // Duplicate keys are fieldValidation's to judge (last one wins unless Strict), not a decoding error.
      JsonNode node = mapper.reader().without(DeserializationFeature.FAIL_ON_READING_DUP_TREE_KEY).readTree(body);
      if (!(node instanceof ObjectNode o)) {
        return new Decoded(null, ApiError.badRequest("the request body must be an object, not " + describe(node)));
      }
      return new Decoded(o, null);
    } catch (JsonProcessingException e) {
      return new Decoded(null, ApiError.badRequest("the body of the request could not be decoded: "
          + e.getOriginalMessage()));
    } catch (java.io.IOException e) {
      return new Decoded(null, ApiError.badRequest("the body of the request could not be read: " + e.getMessage()));
    }
  }

  public static ApiError unsupported(String mediaType) {
    return ApiError.of(415, "UnsupportedMediaType", "the body of the request was in an unknown format - "
        + "accepted media types include: application/json, application/yaml (got \"" + mediaType + "\")");
  }

  public static ApiError tooLarge() {
    return ApiError.of(413, "RequestEntityTooLarge", "the request body is too large: limit is 3145728 bytes");
  }

  private static String describe(JsonNode node) {
    return node == null ? "nothing" : node.getNodeType().name().toLowerCase();
  }
}
