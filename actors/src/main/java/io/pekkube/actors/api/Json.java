package io.pekkube.actors.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.UncheckedIOException;

/** The one JSON mapper of the control plane and small helpers on object trees. */
public final class Json {
  public static final ObjectMapper MAPPER =
      JsonMapper.builder()
          .enable(DeserializationFeature.FAIL_ON_READING_DUP_TREE_KEY)
          .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
          .build();

  private Json() {}

  public static ObjectNode object() {
    return JsonNodeFactory.instance.objectNode();
  }

  /** Parses JSON text that the system itself wrote (events, cache); a failure is a bug. */
  public static ObjectNode parseTrusted(String json) {
    try {
      return (ObjectNode) MAPPER.readTree(json);
    } catch (JsonProcessingException e) {
      throw new UncheckedIOException(e);
    }
  }

  public static String write(JsonNode node) {
    try {
      return MAPPER.writeValueAsString(node);
    } catch (JsonProcessingException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The metadata object of an API object, created when missing. */
  public static ObjectNode metadata(ObjectNode object) {
    JsonNode m = object.get("metadata");
    if (m instanceof ObjectNode o) {
      return o;
    }
    return object.putObject("metadata");
  }

  /** A text field of metadata, or "" when absent or not text. */
  public static String meta(JsonNode object, String field) {
    JsonNode v = object.path("metadata").path(field);
    return v.isTextual() ? v.asText() : "";
  }
}
