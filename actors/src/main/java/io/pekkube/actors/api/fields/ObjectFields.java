package io.pekkube.actors.api.fields;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.pekkube.actors.api.Json;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * The field paths an object sets, as structured-merge-diff computes them: every leaf value (scalar,
 * null, empty object, atomic list) is a member, every list item is a member, and the metadata the
 * server owns (name, namespace, uid, resourceVersion, …) is never part of a set.
 */
public final class ObjectFields {
  /** Fields that no manager owns (Kubernetes' strip-meta set). */
  private static final Set<String> STRIPPED_ROOT = Set.of("apiVersion", "kind");
  private static final Set<String> STRIPPED_META = Set.of("name", "namespace", "creationTimestamp",
      "selfLink", "uid", "clusterName", "generation", "managedFields", "resourceVersion");

  private ObjectFields() {}

  /** Every field path {@code object} sets. */
  public static FieldSet of(ObjectNode object, MergeSchema schema) {
    FieldSet.Builder b = FieldSet.builder();
    walkChildren(object, schema, b, true);
    return b.build();
  }

  /** The paths of {@code next} whose value differs from (or is missing in) {@code live}. */
  public static FieldSet changed(ObjectNode live, ObjectNode next, MergeSchema schema) {
    FieldSet.Builder b = FieldSet.builder();
    diffChildren(live, next, schema, b, true);
    return b.build();
  }

  /**
   * The children of a container value, keyed by path element: fields of an object, items of an
   * associative or set list; an atomic list has none (it is a leaf).
   */
  public static Map<String, JsonNode> elements(JsonNode node, ListRule rule, boolean root) {
    Map<String, JsonNode> out = new LinkedHashMap<>();
    if (node instanceof ObjectNode o) {
      Iterator<Map.Entry<String, JsonNode>> it = o.fields();
      while (it.hasNext()) {
        Map.Entry<String, JsonNode> e = it.next();
        if (root && STRIPPED_ROOT.contains(e.getKey())) {
          continue;
        }
        out.put("f:" + e.getKey(), e.getValue());
      }
    } else if (node instanceof ArrayNode a && rule.kind() != ListRule.Kind.ATOMIC) {
      for (int i = 0; i < a.size(); i++) {
        out.put(itemElement(a.get(i), rule, i), a.get(i));
      }
    }
    return out;
  }

  /** The path element of one list item: {@code k:{...}} by its keys, {@code v:value}, or {@code i:index}. */
  public static String itemElement(JsonNode item, ListRule rule, int index) {
    if (rule.kind() == ListRule.Kind.SET) {
      return "v:" + Json.write(item);
    }
    if (rule.kind() == ListRule.Kind.MAP && item instanceof ObjectNode o && o.hasNonNull(rule.keys().get(0))) {
      ObjectNode key = Json.object();
      for (String k : rule.keys()) {
        if (o.hasNonNull(k)) {
          key.set(k, o.get(k));
        }
      }
      return "k:" + Json.write(key);
    }
    return "i:" + index;
  }

  /** Whether a value is a leaf of the field tree (nothing below it is tracked separately). */
  public static boolean isLeaf(JsonNode value, ListRule rule) {
    if (value instanceof ObjectNode o) {
      return o.isEmpty();
    }
    if (value instanceof ArrayNode a) {
      return rule.kind() == ListRule.Kind.ATOMIC || a.isEmpty();
    }
    return true;
  }

  private static void walkChildren(JsonNode node, MergeSchema schema, FieldSet.Builder b, boolean root) {
    walk(node, schema, ListRule.ATOMIC, b, root, false);
  }

  private static void walk(JsonNode node, MergeSchema schema, ListRule rule, FieldSet.Builder b, boolean root,
      boolean metadata) {
    boolean isList = node instanceof ArrayNode;
    for (Map.Entry<String, JsonNode> e : elements(node, rule, root).entrySet()) {
      String element = e.getKey();
      String field = element.substring(2);
      if (metadata && STRIPPED_META.contains(field)) {
        continue;
      }
      JsonNode value = e.getValue();
      MergeSchema childSchema = isList ? schema : schema.field(field);
      ListRule childRule = isList ? ListRule.ATOMIC : schema.list(field);
      FieldSet.Builder child = b.child(element);
      if (isLeaf(value, childRule)) {
        child.markMember();
      } else {
        if (isList) {
          child.markMember();
        }
        walk(value, childSchema, childRule, child, false, root && field.equals("metadata") && !isList);
      }
    }
  }

  private static void diffChildren(JsonNode live, JsonNode next, MergeSchema schema, FieldSet.Builder b,
      boolean root) {
    diff(live, next, schema, ListRule.ATOMIC, b, root, false);
  }

  private static void diff(JsonNode live, JsonNode next, MergeSchema schema, ListRule rule, FieldSet.Builder b,
      boolean root, boolean metadata) {
    boolean isList = next instanceof ArrayNode;
    Map<String, JsonNode> before = live == null || live.getNodeType() != next.getNodeType()
        ? Map.of() : elements(live, rule, root);
    for (Map.Entry<String, JsonNode> e : elements(next, rule, root).entrySet()) {
      String element = e.getKey();
      String field = element.substring(2);
      if (metadata && STRIPPED_META.contains(field)) {
        continue;
      }
      JsonNode value = e.getValue();
      JsonNode old = before.get(element);
      if (value.equals(old)) {
        continue;
      }
      MergeSchema childSchema = isList ? schema : schema.field(field);
      ListRule childRule = isList ? ListRule.ATOMIC : schema.list(field);
      FieldSet.Builder child = b.child(element);
      if (isLeaf(value, childRule)) {
        child.markMember();
      } else {
        if (isList && old == null) {
          child.markMember();
        }
        diff(old, value, childSchema, childRule, child, false, root && field.equals("metadata") && !isList);
      }
    }
  }
}
