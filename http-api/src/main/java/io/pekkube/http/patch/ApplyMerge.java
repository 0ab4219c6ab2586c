package io.pekkube.http.patch;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.pekkube.actors.api.fields.ListRule;
import io.pekkube.actors.api.fields.MergeSchema;
import io.pekkube.actors.api.fields.ObjectFields;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * The structural merge of server-side apply: the applied configuration laid over the live object,
 * maps field by field, associative lists item by item (by their keys), sets as unions, and atomic
 * lists and scalars replaced. Removing what a manager no longer applies is {@link #remove}'s job.
 */
final class ApplyMerge {

  private ApplyMerge() {}

  static ObjectNode merge(ObjectNode live, ObjectNode applied, MergeSchema schema) {
    return (ObjectNode) merge(live, applied, schema, ListRule.ATOMIC);
  }

  private static JsonNode merge(JsonNode live, JsonNode applied, MergeSchema schema, ListRule rule) {
    if (applied instanceof ObjectNode a && live instanceof ObjectNode l) {
      ObjectNode result = l.deepCopy();
      Iterator<Map.Entry<String, JsonNode>> it = a.fields();
      while (it.hasNext()) {
        Map.Entry<String, JsonNode> e = it.next();
        String k = e.getKey();
        result.set(k, merge(l.get(k), e.getValue(), schema.field(k), schema.list(k)));
      }
      return result;
    }
    if (applied instanceof ArrayNode a && live instanceof ArrayNode l && rule.kind() != ListRule.Kind.ATOMIC) {
      ArrayNode result = l.deepCopy();
      for (int i = 0; i < a.size(); i++) {
        JsonNode item = a.get(i);
        int at = find(result, item, rule);
        if (at < 0) {
          result.add(item.deepCopy());
        } else if (rule.kind() == ListRule.Kind.MAP) {
          result.set(at, merge(result.get(at), item, schema, ListRule.ATOMIC));
        }
      }
      return result;
    }
    return applied.deepCopy();
  }

  /** The index of the item with the same identity (keys present on both sides, or value). */
  static int find(ArrayNode list, JsonNode item, ListRule rule) {
    for (int i = 0; i < list.size(); i++) {
      if (sameItem(list.get(i), item, rule)) {
        return i;
      }
    }
    return -1;
  }

  private static boolean sameItem(JsonNode a, JsonNode b, ListRule rule) {
    if (rule.kind() != ListRule.Kind.MAP) {
      return a.equals(b);
    }
    String first = rule.keys().get(0);
    if (a.get(first) == null || !a.get(first).equals(b.get(first))) {
      return false;
    }
    for (String k : rule.keys()) {
      if (a.hasNonNull(k) && b.hasNonNull(k) && !a.get(k).equals(b.get(k))) {
        return false;
      }
    }
    return true;
  }

  /** Removes the value at a field path (as {@code FieldSet} elements); a missing path is no change. */
  static void remove(JsonNode root, List<String> path, MergeSchema schema) {
    JsonNode node = root;
    MergeSchema s = schema;
    ListRule rule = ListRule.ATOMIC;
    for (int i = 0; i < path.size(); i++) {
      String element = path.get(i);
      boolean last = i == path.size() - 1;
      if (node instanceof ObjectNode o && element.startsWith("f:")) {
        String field = element.substring(2);
        if (last) {
          o.remove(field);
          return;
        }
        rule = s.list(field);
        s = s.field(field);
        node = o.get(field);
      } else if (node instanceof ArrayNode a) {
        int at = -1;
        for (int j = 0; j < a.size(); j++) {
          if (ObjectFields.itemElement(a.get(j), rule, j).equals(element)) {
            at = j;
            break;
          }
        }
        if (at < 0) {
          return;
        }
        if (last) {
          a.remove(at);
          return;
        }
        node = a.get(at);
        rule = ListRule.ATOMIC;
      } else {
        return;
      }
    }
  }
}
