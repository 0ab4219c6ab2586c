package io.pekkube.http.protobuf;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.google.protobuf.ByteString;
import com.google.protobuf.Descriptors.Descriptor;
import com.google.protobuf.Descriptors.FieldDescriptor;
import com.google.protobuf.Message;
import io.pekkube.actors.api.Json;
import io.pekkube.actors.api.schema.ProtoTypes;
import io.pekkube.actors.api.schema.SchemaCatalog;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Base64;
import java.util.List;
import java.util.Map;

/**
 * Turns a decoded Kubernetes protobuf message into the JSON object the API stores, driven by the
 * descriptors alone (no code per type): field names are the JSON names, Go-inlined messages are
 * flattened, maps become objects, {@code bytes} become base64, and the apimachinery types take
 * their JSON forms (Time, MicroTime, Quantity, IntOrString, RawExtension, FieldsV1, Duration).
 *
 * <p>Go's protobuf marshalling writes every non-pointer field, zero or not, and its JSON leaves
 * zero values out ({@code omitempty}); so zero scalars and zero times are left out here too, except
 * the zeros of the Go pointer fields in {@link PointerScalars} (replicas 0 is not unset).
 */
public final class ProtobufObjects {
  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
  private static final DateTimeFormatter MICRO =
      DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSSSSX").withZone(ZoneOffset.UTC);

  private final SchemaCatalog catalog;

  public ProtobufObjects(SchemaCatalog catalog) {
    this.catalog = catalog;
  }

  /** The JSON object of {@code message}. */
  public ObjectNode toJson(Message message) {
    ObjectNode out = Json.object();
    fill(out, message);
    return out;
  }

  private void fill(ObjectNode out, Message message) {
    Descriptor type = message.getDescriptorForType();
    for (Map.Entry<FieldDescriptor, Object> e : message.getAllFields().entrySet()) {
      FieldDescriptor f = e.getKey();
      if (catalog.isInlined(type.getFullName(), f.getName())) {
        fill(out, (Message) e.getValue());
        continue;
      }
      JsonNode value = field(f, e.getValue());
      if (value == null && !f.isRepeated() && PointerScalars.keepsZero(type.getFullName(), f.getName())) {
        value = zero(f);
      }
      if (value != null) {
        out.set(f.getName(), value);
      }
    }
  }

  private JsonNode field(FieldDescriptor f, Object value) {
    if (f.isMapField()) {
      ObjectNode map = Json.object();
      for (Object entry : (List<?>) value) {
        Message m = (Message) entry;
        FieldDescriptor key = m.getDescriptorForType().findFieldByName("key");
        FieldDescriptor val = m.getDescriptorForType().findFieldByName("value");
        JsonNode v = single(val, m.getField(val));
        map.set(String.valueOf(m.getField(key)), v == null ? zero(val) : v);
      }
      return map;
    }
    if (f.isRepeated()) {
      ArrayNode array = NODES.arrayNode();
      for (Object item : (List<?>) value) {
        JsonNode v = single(f, item);
        array.add(v == null ? zero(f) : v);
      }
      return array;
    }
    return single(f, value);
  }

  /** One value; null for a zero scalar, which Go's JSON omits. */
  private JsonNode single(FieldDescriptor f, Object value) {
    return switch (f.getJavaType()) {
      case INT -> (Integer) value == 0 ? null : NODES.numberNode((Integer) value);
      case LONG -> (Long) value == 0 ? null : NODES.numberNode((Long) value);
      case FLOAT -> (Float) value == 0 ? null : NODES.numberNode((Float) value);
      case DOUBLE -> (Double) value == 0 ? null : NODES.numberNode((Double) value);
      case BOOLEAN -> (Boolean) value ? NODES.booleanNode(true) : null;
      case STRING -> ((String) value).isEmpty() ? null : NODES.textNode((String) value);
      case ENUM -> NODES.textNode(value.toString());
      case BYTE_STRING -> NODES.textNode(Base64.getEncoder().encodeToString(((ByteString) value).toByteArray()));
      case MESSAGE -> message((Message) value);
    };
  }

  private JsonNode message(Message m) {
    return switch (m.getDescriptorForType().getFullName()) {
      case ProtoTypes.TIME -> time(m, false);
      case ProtoTypes.MICRO_TIME -> time(m, true);
      case ProtoTypes.QUANTITY -> NODES.textNode(text(m, "string"));
      case ProtoTypes.DURATION -> NODES.textNode(text(m, "duration"));
      case ProtoTypes.INT_OR_STRING -> intOrString(m);
      case ProtoTypes.RAW_EXTENSION, ProtoTypes.FIELDS_V1 -> raw(m);
      default -> toJson(m);
    };
  }

  private static JsonNode time(Message m, boolean micro) {
    long seconds = number(m, "seconds");
    long nanos = number(m, "nanos");
    if (seconds == 0 && nanos == 0) {
      return null;
    }
    Instant at = Instant.ofEpochSecond(seconds, nanos);
    return NODES.textNode(micro ? MICRO.format(at) : DateTimeFormatter.ISO_INSTANT.format(Instant.ofEpochSecond(seconds)));
  }

  private static JsonNode intOrString(Message m) {
    return number(m, "type") == 0 ? NODES.numberNode((int) number(m, "intVal")) : NODES.textNode(text(m, "strVal"));
  }

  /** RawExtension and FieldsV1 carry JSON bytes; they are that JSON. */
  private static JsonNode raw(Message m) {
    FieldDescriptor f = m.getDescriptorForType().findFieldByName("raw");
    ByteString bytes = (ByteString) m.getField(f);
    if (bytes.isEmpty()) {
      return null;
    }
    try {
      return Json.MAPPER.readTree(bytes.toByteArray());
    } catch (java.io.IOException e) {
      throw new IllegalArgumentException("a raw field does not hold JSON: " + e.getMessage());
    }
  }

  private static long number(Message m, String field) {
    Object v = m.getField(m.getDescriptorForType().findFieldByName(field));
    return ((Number) v).longValue();
  }

  private static String text(Message m, String field) {
    return (String) m.getField(m.getDescriptorForType().findFieldByName(field));
  }

  private JsonNode zero(FieldDescriptor f) {
    return switch (f.getJavaType()) {
      case INT, LONG, FLOAT, DOUBLE -> NODES.numberNode(0);
      case BOOLEAN -> NODES.booleanNode(false);
      case MESSAGE -> f.getMessageType().getFullName().equals(ProtoTypes.INT_OR_STRING) ? NODES.numberNode(0)
          : NODES.objectNode();
      default -> NODES.textNode("");
    };
  }
}
