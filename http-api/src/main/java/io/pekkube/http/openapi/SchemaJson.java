package io.pekkube.http.openapi;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.pekkube.actors.api.Json;
import io.pekkube.actors.api.ResourceType;
import io.pekkube.actors.api.schema.Definition;
import io.pekkube.actors.api.schema.FieldType;
import io.pekkube.actors.api.schema.PatchMeta;
import java.util.List;
import java.util.TreeSet;

/**
 * Writes catalog definitions as OpenAPI schema objects, in the shape Kubernetes serves them: v3
 * refers through {@code allOf: [{$ref: #/components/schemas/...}]}, v2 through a plain
 * {@code $ref: #/definitions/...}; top-level kinds carry {@code x-kubernetes-group-version-kind},
 * list fields their strategic-merge tags from {@link PatchMeta}.
 */
final class SchemaJson {
  private final boolean v3;

  SchemaJson(boolean v3) {
    this.v3 = v3;
  }

  ObjectNode definition(Definition d, List<ResourceType> kinds) {
    ObjectNode s = Json.object();
    switch (d.kind()) {
      case DATE_TIME -> s.put("type", "string").put("format", "date-time");
      case QUANTITY -> s.put("type", "string");
      case INT_OR_STRING -> s.put("type", "string").put("format", "int-or-string");
      case FREE_FORM -> s.put("type", "object").put("x-kubernetes-preserve-unknown-fields", true);
      case OBJECT -> {
        s.put("type", "object");
        ObjectNode properties = s.putObject("properties");
        d.properties().forEach((field, type) -> {
          ObjectNode p = field(type);
          PatchMeta.of(d.name(), field).ifPresent(meta -> patchMeta(p, meta));
          properties.set(field, p);
        });
        if (!d.required().isEmpty()) {
          ArrayNode required = s.putArray("required");
          new TreeSet<>(d.required()).forEach(required::add);
        }
      }
      default -> throw new IllegalStateException(d.kind().toString());
    }
    if (!kinds.isEmpty()) {
      ArrayNode gvks = s.putArray("x-kubernetes-group-version-kind");
      for (ResourceType t : kinds) {
        gvks.addObject().put("group", t.group()).put("kind", t.kind()).put("version", t.version());
      }
    }
    return s;
  }

  String ref(String name) {
    return (v3 ? "#/components/schemas/" : "#/definitions/") + name;
  }

  ObjectNode refTo(String name) {
    ObjectNode s = Json.object();
    if (v3) {
      s.putArray("allOf").addObject().put("$ref", ref(name));
    } else {
      s.put("$ref", ref(name));
    }
    return s;
  }

  private ObjectNode field(FieldType type) {
    if (type instanceof FieldType.Scalar scalar) {
      ObjectNode s = Json.object().put("type", scalar.type());
      if (!scalar.format().isEmpty()) {
        s.put("format", scalar.format());
      }
      return s;
    } else if (type instanceof FieldType.Ref r) {
      return refTo(r.name());
    } else if (type instanceof FieldType.ArrayOf a) {
      ObjectNode s = Json.object().put("type", "array");
      s.set("items", field(a.items()));
      return s;
    }
    ObjectNode s = Json.object().put("type", "object");
    s.set("additionalProperties", field(((FieldType.MapOf) type).values()));
    return s;
  }

  private static void patchMeta(ObjectNode p, PatchMeta meta) {
    if (!meta.patchStrategy().isEmpty()) {
      p.put("x-kubernetes-patch-strategy", meta.patchStrategy());
    }
    if (!meta.mergeKey().isEmpty()) {
      p.put("x-kubernetes-patch-merge-key", meta.mergeKey());
    }
    p.put("x-kubernetes-list-type", meta.listType());
    if (!meta.listMapKeys().isEmpty()) {
      ArrayNode keys = p.putArray("x-kubernetes-list-map-keys");
      meta.listMapKeys().forEach(keys::add);
    }
  }
}
