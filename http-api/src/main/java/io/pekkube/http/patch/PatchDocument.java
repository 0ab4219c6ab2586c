package io.pekkube.http.patch;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.pekkube.actors.api.Json;
import io.pekkube.actors.api.ResourceType;
import io.pekkube.actors.api.fields.MergeSchema;
import java.io.IOException;

/**
 * A decoded patch of one of the four types: what it does to the current object, and whether it pins
 * {@code metadata.resourceVersion} (then the write is conditional on it and is not retried).
 */
public final class PatchDocument {
  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

  private final PatchType type;
  private final JsonNode body;
  private final JsonPatch jsonPatch;

  private PatchDocument(PatchType type, JsonNode body, JsonPatch jsonPatch) {
    this.type = type;
    this.body = body;
    this.jsonPatch = jsonPatch;
  }

  /** Decodes the body; a malformed one throws {@link PatchFailure} (400). */
  public static PatchDocument parse(PatchType type, byte[] bytes) {
    if (bytes.length == 0) {
      throw PatchFailure.badRequest("the request body is empty");
    }
    JsonNode body;
    try {
      // Duplicate keys are fieldValidation's to judge (last one wins unless Strict).
      body = (type == PatchType.APPLY ? YAML : Json.MAPPER).reader()
          .without(DeserializationFeature.FAIL_ON_READING_DUP_TREE_KEY).readTree(bytes);
    } catch (IOException e) {
      throw PatchFailure.badRequest(type == PatchType.MERGE ? "Invalid JSON Patch"
          : "error decoding patch: " + e.getMessage().lines().findFirst().orElse(""));
    }
    if (body == null || body.isMissingNode()) {
      throw PatchFailure.badRequest("the request body is empty");
    }
    return switch (type) {
      case JSON -> new PatchDocument(type, body, JsonPatch.parse(body));
      case MERGE -> new PatchDocument(type, body, null);
      case STRATEGIC, APPLY -> {
        if (!body.isObject()) {
          throw PatchFailure.badRequest("json: cannot unmarshal " + body.getNodeType().name().toLowerCase()
              + " into Go value of type map[string]interface {}");
        }
        yield new PatchDocument(type, body, null);
      }
    };
  }

  public PatchType type() {
    return type;
  }

  /** The applied configuration of an apply patch. */
  public ObjectNode applied() {
    return (ObjectNode) body;
  }

  /** The patched copy of {@code current} (merge, JSON and strategic patches). */
  public ObjectNode applyTo(ResourceType resourceType, ObjectNode current) {
    return applyTo(MergeSchema.forType(resourceType), current);
  }

  /** The patched copy of {@code current}, an object whose merge rules are {@code schema} (e.g. a Scale). */
  public ObjectNode applyTo(MergeSchema schema, ObjectNode current) {
    JsonNode result = switch (type) {
      case JSON -> jsonPatch.apply(current);
      case MERGE -> JsonMergePatch.apply(current, body);
      case STRATEGIC -> StrategicMergePatch.apply(current, (ObjectNode) body, schema);
      case APPLY -> throw new IllegalStateException("apply patches go through ServerSideApply");
    };
    if (!(result instanceof ObjectNode o)) {
      throw PatchFailure.badRequest("the patched object must be an object, not " + result.getNodeType());
    }
    return o;
  }

  /** Whether the patch itself sets {@code metadata.resourceVersion} (a precondition). */
  public boolean pinsResourceVersion() {
    if (type == PatchType.JSON) {
      for (JsonNode op : body) {
        if (op.path("path").asText("").equals("/metadata/resourceVersion")
            && !op.path("op").asText("").equals("test")) {
          return true;
        }
      }
      return false;
    }
    JsonNode rv = body.path("metadata").path("resourceVersion");
    return rv.isTextual() && !rv.asText().isEmpty();
  }
}
