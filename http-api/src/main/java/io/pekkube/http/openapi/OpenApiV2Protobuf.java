package io.pekkube.http.openapi;

import com.fasterxml.jackson.databind.JsonNode;
import com.google.protobuf.CodedOutputStream;
import io.pekkube.actors.api.Json;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Map;

/**
 * The v2 document in the protobuf form client-go asks for ({@code
 * application/com.github.proto-openapi.spec.v2@v1.0+protobuf}, gnostic's {@code openapi.v2.Document};
 * kubectl up to 1.27 reads only this form for explain and client-side validation). Carries the
 * definitions with types, refs, properties, items, map values, required fields and the {@code x-}
 * extensions (as YAML text, as gnostic keeps them); paths are left out.
 */
final class OpenApiV2Protobuf {
  static final String MEDIA_TYPE = "application/com.github.proto-openapi.spec.v2@v1.0+protobuf";

  private OpenApiV2Protobuf() {}

  static byte[] encode(JsonNode doc) {
    return message(out -> {
      out.writeString(1, doc.path("swagger").asText());
      out.writeByteArray(2, message(info -> {
        info.writeString(1, doc.path("info").path("title").asText());
        info.writeString(2, doc.path("info").path("version").asText());
      }));
      out.writeByteArray(9, message(defs -> {
        for (Map.Entry<String, JsonNode> e : (Iterable<Map.Entry<String, JsonNode>>) doc.path("definitions")::fields) {
          defs.writeByteArray(1, named(e.getKey(), schema(e.getValue())));
        }
      }));
    });
  }

  private static byte[] schema(JsonNode s) {
    return message(out -> {
      text(out, 1, s.path("$ref"));
      text(out, 2, s.path("format"));
      for (JsonNode r : s.path("required")) {
        out.writeString(19, r.asText());
      }
      if (s.has("additionalProperties")) {
        out.writeByteArray(21, message(ap -> ap.writeByteArray(1, schema(s.get("additionalProperties")))));
      }
      if (s.has("type")) {
        out.writeByteArray(22, message(t -> t.writeString(1, s.get("type").asText())));
      }
      if (s.has("items")) {
        out.writeByteArray(23, message(items -> items.writeByteArray(1, schema(s.get("items")))));
      }
      for (JsonNode a : s.path("allOf")) {
        out.writeByteArray(24, schema(a));
      }
      if (s.has("properties")) {
        out.writeByteArray(25, message(props -> {
          for (Map.Entry<String, JsonNode> e : (Iterable<Map.Entry<String, JsonNode>>) s.get("properties")::fields) {
            props.writeByteArray(1, named(e.getKey(), schema(e.getValue())));
          }
        }));
      }
      for (Map.Entry<String, JsonNode> e : (Iterable<Map.Entry<String, JsonNode>>) s::fields) {
        if (e.getKey().startsWith("x-")) {
          byte[] any = message(a -> a.writeString(2, Json.write(e.getValue()) + "\n"));
          out.writeByteArray(31, message(n -> {
            n.writeString(1, e.getKey());
            n.writeByteArray(2, any);
          }));
        }
      }
    });
  }

  private static byte[] named(String name, byte[] value) {
    return message(n -> {
      n.writeString(1, name);
      n.writeByteArray(2, value);
    });
  }

  private static void text(CodedOutputStream out, int field, JsonNode value) throws IOException {
    if (value.isTextual()) {
      out.writeString(field, value.asText());
    }
  }

  private interface Writer {
    void write(CodedOutputStream out) throws IOException;
  }

  private static byte[] message(Writer writer) {
    try {
      ByteArrayOutputStream bytes = new ByteArrayOutputStream();
      CodedOutputStream out = CodedOutputStream.newInstance(bytes);
      writer.write(out);
      out.flush();
      return bytes.toByteArray();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
