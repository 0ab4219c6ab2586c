package io.pekkube.actors.api.schema;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * Finds and removes the fields of an object that its schema does not declare, as Kubernetes' Go
 * decoding drops them for built-in types. Paths are written as Kubernetes reports them:
 * {@code spec.template.spec.containers[0].foo}.
 */
public final class UnknownFields {
  private UnknownFields() {}

  /**
   * Removes from {@code object} every field {@code kind} does not declare and returns their paths in
   * document order. apiVersion and kind are always known at the top.
   */
  public static List<String> prune(SchemaCatalog catalog, Definition kind, ObjectNode object) {
    List<String> unknown = new ArrayList<>();
    Iterator<Map.Entry<String, JsonNode>> it = object.fields();
    while (it.hasNext()) {
      Map.Entry<String, JsonNode> e = it.next();
      String field = e.getKey();
      if (field.equals("apiVersion") || field.equals("kind")) {
        continue;
      }
      FieldType type = kind.properties().get(field);
      if (type == null) {
        unknown.add(field);
        it.remove();
      } else {
        walk(catalog, type, e.getValue(), field, unknown);
      }
    }
    return unknown;
  }

  private static void walk(SchemaCatalog catalog, FieldType type, JsonNode value, String path, List<String> unknown) {
    if (type instanceof FieldType.ArrayOf a && value instanceof ArrayNode array) {
      for (int i = 0; i < array.size(); i++) {
        walk(catalog, a.items(), array.get(i), path + "[" + i + "]", unknown);
      }
    } else if (type instanceof FieldType.MapOf m && value instanceof ObjectNode map) {
      map.fields().forEachRemaining(e -> walk(catalog, m.values(), e.getValue(), path + "[" + e.getKey() + "]", unknown));
    } else if (type instanceof FieldType.Ref r && value instanceof ObjectNode object) {
      Definition d = catalog.definition(r.name()).orElse(null);
      if (d == null || d.kind() != Definition.Kind.OBJECT) {
        return;
      }
      Iterator<Map.Entry<String, JsonNode>> it = object.fields();
      while (it.hasNext()) {
        Map.Entry<String, JsonNode> e = it.next();
        FieldType inner = d.properties().get(e.getKey());
        String innerPath = path + "." + e.getKey();
        if (inner == null) {
          unknown.add(innerPath);
          it.remove();
        } else {
          walk(catalog, inner, e.getValue(), innerPath, unknown);
        }
      }
    }
  }
}
