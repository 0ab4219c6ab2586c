package io.pekkube.http.patch;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.pekkube.actors.api.Json;
import io.pekkube.actors.api.fields.ListRule;
import io.pekkube.actors.api.fields.MergeSchema;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Kubernetes' strategic merge patch: maps merge as in a JSON merge patch, lists follow the type's
 * strategy (merged by a key, merged as a set, or replaced), and the directives {@code $patch}
 * (replace, delete, merge), {@code $retainKeys}, {@code $setElementOrder/<field>} and
 * {@code $deleteFromPrimitiveList/<field>} steer single places. Malformed directives answer 400 with
 * the messages of k8s.io/apimachinery's strategicpatch.
 */
public final class StrategicMergePatch {
  private static final String PATCH = "$patch";
  private static final String RETAIN_KEYS = "$retainKeys";
  private static final String SET_ORDER = "$setElementOrder/";
  private static final String DELETE_PRIMITIVE = "$deleteFromPrimitiveList/";

  private StrategicMergePatch() {}

  /** The patched copy of {@code original}. */
  public static ObjectNode apply(ObjectNode original, ObjectNode patch, MergeSchema schema) {
    JsonNode result = mergeMap(original.deepCopy(), patch, schema);
    if (result == null) {
      throw PatchFailure.badRequest("a strategic merge patch cannot delete the whole object");
    }
    return (ObjectNode) result;
  }

  /** Merges {@code patch} into {@code original} (changed in place); null: the map is deleted. */
  private static ObjectNode mergeMap(ObjectNode original, ObjectNode patch, MergeSchema schema) {
    JsonNode directive = patch.get(PATCH);
    if (directive != null) {
      switch (directive.asText("")) {
        case "replace" -> {
          ObjectNode content = patch.deepCopy();
          content.remove(PATCH);
          return mergeMap(Json.object(), content, schema);
        }
        case "delete" -> {
          return null;
        }
        case "merge" -> { }
        default -> throw PatchFailure.badRequest("Unknown patch type: " + directive.asText(directive.toString())
            + " in map: " + Json.write(patch));
      }
    }
    Set<String> retain = retainKeys(patch);
    Map<String, ArrayNode> orders = new LinkedHashMap<>();
    Iterator<Map.Entry<String, JsonNode>> it = patch.fields();
    while (it.hasNext()) {
      Map.Entry<String, JsonNode> e = it.next();
      String key = e.getKey();
      JsonNode value = e.getValue();
      if (key.equals(PATCH) || key.equals(RETAIN_KEYS)) {
        continue;
      }
      if (key.startsWith(SET_ORDER)) {
        if (!(value instanceof ArrayNode a)) {
          throw PatchFailure.badRequest("invalid patch format of setElementOrder list");
        }
        orders.put(key.substring(SET_ORDER.length()), a);
      } else if (key.startsWith(DELETE_PRIMITIVE)) {
        deleteFromPrimitiveList(original, key.substring(DELETE_PRIMITIVE.length()), value);
      } else if (key.startsWith("$")) {
        throw PatchFailure.badRequest("Unknown directive " + key + " in patch: " + Json.write(patch));
      } else {
        mergeField(original, key, value, schema);
      }
    }
    orders.forEach((field, order) -> reorder(original, field, order, schema.strategicList(field)));
    if (retain != null) {
      original.retain(retain);
    }
    return original;
  }

  private static void mergeField(ObjectNode original, String key, JsonNode value, MergeSchema schema) {
    if (value.isNull()) {
      original.remove(key);
      return;
    }
    JsonNode current = original.get(key);
    if (value instanceof ObjectNode p) {
      ObjectNode base = current instanceof ObjectNode o ? o : Json.object();
      ObjectNode merged = mergeMap(base, p, schema.field(key));
      if (merged == null) {
        original.remove(key);
      } else {
        original.set(key, merged);
      }
    } else if (value instanceof ArrayNode p) {
      ArrayNode base = current instanceof ArrayNode a ? a : JsonNodeFactory.instance.arrayNode();
      original.set(key, mergeList(base, p, schema.strategicList(key), schema.field(key)));
    } else {
      original.set(key, value.deepCopy());
    }
  }

  /** {@code $retainKeys}: after the merge, only these keys stay; the patch may not set others. */
  private static Set<String> retainKeys(ObjectNode patch) {
    JsonNode r = patch.get(RETAIN_KEYS);
    if (r == null) {
      return null;
    }
    if (!(r instanceof ArrayNode a)) {
      throw PatchFailure.badRequest("invalid patch format of retainKeys");
    }
    Set<String> keys = new HashSet<>();
    for (JsonNode k : a) {
      if (!k.isTextual()) {
        throw PatchFailure.badRequest("invalid patch format of retainKeys");
      }
      keys.add(k.asText());
    }
    Iterator<String> names = patch.fieldNames();
    while (names.hasNext()) {
      String n = names.next();
      if (!n.startsWith("$") && !keys.contains(n)) {
        throw PatchFailure.unprocessable("patch content doesn't match retainKeys list");
      }
    }
    return keys;
  }

  private static void deleteFromPrimitiveList(ObjectNode original, String field, JsonNode values) {
    if (!(values instanceof ArrayNode remove)) {
      throw PatchFailure.badRequest("invalid patch format of primitive list");
    }
    if (original.get(field) instanceof ArrayNode list) {
      ArrayNode kept = JsonNodeFactory.instance.arrayNode();
      for (JsonNode v : list) {
        if (!contains(remove, v)) {
          kept.add(v);
        }
      }
      original.set(field, kept);
    }
  }

  private static ArrayNode mergeList(ArrayNode original, ArrayNode patch, ListRule rule, MergeSchema items) {
    List<JsonNode> patchItems = new ArrayList<>();
    boolean replace = false;
    for (JsonNode item : patch) {
      if (item instanceof ObjectNode o && o.has(PATCH) && o.size() == 1) {
        String d = o.get(PATCH).asText("");
        if (!d.equals("replace")) {
          throw PatchFailure.badRequest("Unknown patch type: " + d + " in list: " + Json.write(patch));
        }
        replace = true;
      } else {
        patchItems.add(item);
      }
    }
    if (rule.kind() == ListRule.Kind.MAP) {
      return mergeByKey(replace ? JsonNodeFactory.instance.arrayNode() : original.deepCopy(), patchItems,
          rule.mergeKey(), items);
    }
    if (rule.kind() == ListRule.Kind.SET && !replace) {
      ArrayNode result = original.deepCopy();
      for (JsonNode item : patchItems) {
        if (item.isContainerNode()) {
          throw PatchFailure.badRequest("invalid patch format of primitive list");
        }
        if (!contains(result, item)) {
          result.add(item);
        }
      }
      return result;
    }
    ArrayNode result = JsonNodeFactory.instance.arrayNode();
    for (JsonNode item : patchItems) {
      result.add(item instanceof ObjectNode o ? mergeMap(Json.object(), o, items) : item.deepCopy());
    }
    return result;
  }

  private static ArrayNode mergeByKey(ArrayNode result, List<JsonNode> patchItems, String mergeKey,
      MergeSchema items) {
    for (JsonNode item : patchItems) {
      if (!(item instanceof ObjectNode p)) {
        throw PatchFailure.badRequest("invalid patch format: a list merged by " + mergeKey
            + " needs objects, got " + Json.write(item));
      }
      JsonNode key = p.get(mergeKey);
      if (key == null) {
        throw PatchFailure.unprocessable("map: " + Json.write(p) + " does not contain declared merge key: "
            + mergeKey);
      }
      int at = indexByKey(result, mergeKey, key);
      boolean delete = "delete".equals(p.path(PATCH).asText(""));
      if (delete) {
        while (at >= 0) {
          result.remove(at);
          at = indexByKey(result, mergeKey, key);
        }
        continue;
      }
      ObjectNode base = at >= 0 ? (ObjectNode) result.get(at) : Json.object();
      ObjectNode merged = mergeMap(base, p, items);
      if (at >= 0 && merged == null) {
        result.remove(at);
      } else if (at >= 0) {
        result.set(at, merged);
      } else if (merged != null) {
        result.add(merged);
      }
    }
    return result;
  }

  private static int indexByKey(ArrayNode list, String mergeKey, JsonNode key) {
    for (int i = 0; i < list.size(); i++) {
      if (key.equals(list.get(i).get(mergeKey))) {
        return i;
      }
    }
    return -1;
  }

  /**
   * {@code $setElementOrder}: the listed items come first, in the listed order; items the patch did
   * not mention keep their relative order after them.
   */
  private static void reorder(ObjectNode original, String field, ArrayNode order, ListRule rule) {
    if (!(original.get(field) instanceof ArrayNode list)) {
      return;
    }
    List<JsonNode> rest = new ArrayList<>();
    list.forEach(rest::add);
    ArrayNode sorted = JsonNodeFactory.instance.arrayNode();
    for (JsonNode o : order) {
      for (Iterator<JsonNode> r = rest.iterator(); r.hasNext(); ) {
        JsonNode item = r.next();
        boolean match = rule.kind() == ListRule.Kind.MAP
            ? o.get(rule.mergeKey()) != null && o.get(rule.mergeKey()).equals(item.get(rule.mergeKey()))
            : o.equals(item);
        if (match) {
          sorted.add(item);
          r.remove();
          break;
        }
      }
    }
    rest.forEach(sorted::add);
    original.set(field, sorted);
  }

  private static boolean contains(ArrayNode list, JsonNode value) {
    for (JsonNode v : list) {
      if (v.equals(value)) {
        return true;
      }
    }
    return false;
  }
}
