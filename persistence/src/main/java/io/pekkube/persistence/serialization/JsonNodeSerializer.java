package io.pekkube.persistence.serialization;

import com.esotericsoftware.kryo.Kryo;
import com.esotericsoftware.kryo.KryoException;
import com.esotericsoftware.kryo.Serializer;
import com.esotericsoftware.kryo.io.Input;
import com.esotericsoftware.kryo.io.Output;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;

/**
 * Writes a Jackson tree (any {@link JsonNode} subclass) as length-prefixed UTF-8 JSON text, so
 * API objects stay readable in the journal. A round trip gives the tree a JSON parser would build
 * from that text: numbers come back as the smallest fitting node ({@code IntNode} for 3 even if
 * written from a {@code LongNode}), everything else is identical.
 */
final class JsonNodeSerializer extends Serializer<JsonNode> {

  private static final ObjectMapper MAPPER = new ObjectMapper();

  JsonNodeSerializer() {
    super(false, false);
  }

  @Override
  public void write(Kryo kryo, Output output, JsonNode node) {
    byte[] json;
    try {
      json = MAPPER.writeValueAsBytes(node);
    } catch (JsonProcessingException e) {
      throw new KryoException("Cannot write JSON tree", e);
    }
    output.writeVarInt(json.length, true);
    output.writeBytes(json);
  }

  @Override
  public JsonNode read(Kryo kryo, Input input, Class<? extends JsonNode> type) {
    byte[] json = input.readBytes(input.readVarInt(true));
    try {
      return MAPPER.readTree(json);
    } catch (IOException e) {
      throw new KryoException("Cannot parse JSON tree", e);
    }
  }

  @Override
  public JsonNode copy(Kryo kryo, JsonNode original) {
    return original.deepCopy();
  }
}
