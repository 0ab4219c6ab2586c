package io.pekkube.actors.api.fields;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.pekkube.actors.api.Json;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * A set of field paths in Kubernetes' {@code FieldsV1} form: a tree whose keys are path elements
 * ({@code f:name} a field, {@code k:{"name":"web"}} a list item by key, {@code v:"x"} a set member,
 * {@code i:0} an index) and whose nodes are members of the set when they are leaves or carry
 * {@code ".": {}}. Values are immutable once built.
 */
public final class FieldSet {
  public static final FieldSet EMPTY = new FieldSet(false, Map.of());

  private final boolean member;
  private final Map<String, FieldSet> children;

  private FieldSet(boolean member, Map<String, FieldSet> children) {
    this.member = member;
    this.children = children;
  }

  /** Builds a set node by node; not shared once {@link #build()} is called. */
  public static final class Builder {
    private boolean member;
    private final TreeMap<String, Builder> children = new TreeMap<>();

    public Builder child(String element) {
      return children.computeIfAbsent(element, e -> new Builder());
    }

    public Builder markMember() {
      member = true;
      return this;
    }

    public FieldSet build() {
      TreeMap<String, FieldSet> built = new TreeMap<>();
      children.forEach((k, v) -> {
        FieldSet b = v.build();
        if (!b.isEmpty()) {
          built.put(k, b);
        }
      });
      return built.isEmpty() && !member ? EMPTY : new FieldSet(member, built);
    }
  }

  public static Builder builder() {
    return new Builder();
  }

  public boolean isEmpty() {
    return !member && children.isEmpty();
  }

  public boolean isMember() {
    return member;
  }

  public Map<String, FieldSet> children() {
    return children;
  }

  public FieldSet child(String element) {
    return children.getOrDefault(element, EMPTY);
  }

  /** Whether the path of elements is a member of this set. */
  public boolean contains(List<String> path) {
    FieldSet node = this;
    for (String e : path) {
      node = node.children.get(e);
      if (node == null) {
        return false;
      }
    }
    return node.member;
  }

  public FieldSet union(FieldSet other) {
    if (other.isEmpty()) {
      return this;
    }
    if (isEmpty()) {
      return other;
    }
    TreeMap<String, FieldSet> merged = new TreeMap<>(children);
    other.children.forEach((k, v) -> merged.merge(k, v, FieldSet::union));
    return new FieldSet(member || other.member, merged);
  }

  /** The members of this set that are not members of {@code other}. */
  public FieldSet difference(FieldSet other) {
    if (other.isEmpty() || isEmpty()) {
      return this;
    }
    TreeMap<String, FieldSet> rest = new TreeMap<>();
    children.forEach((k, v) -> {
      FieldSet d = v.difference(other.child(k));
      if (!d.isEmpty()) {
        rest.put(k, d);
      }
    });
    boolean m = member && !other.member;
    return rest.isEmpty() && !m ? EMPTY : new FieldSet(m, rest);
  }

  /** The members of both sets. */
  public FieldSet intersection(FieldSet other) {
    if (other.isEmpty() || isEmpty()) {
      return EMPTY;
    }
    TreeMap<String, FieldSet> both = new TreeMap<>();
    children.forEach((k, v) -> {
      FieldSet o = other.children.get(k);
      if (o != null) {
        FieldSet i = v.intersection(o);
        if (!i.isEmpty()) {
          both.put(k, i);
        }
      }
    });
    boolean m = member && other.member;
    return both.isEmpty() && !m ? EMPTY : new FieldSet(m, both);
  }

  /** Every member as a list of path elements, depth first in element order. */
  public List<List<String>> paths() {
    List<List<String>> out = new ArrayList<>();
    collect(new ArrayList<>(), out);
    return out;
  }

  private void collect(List<String> prefix, List<List<String>> out) {
    if (member) {
      out.add(List.copyOf(prefix));
    }
    children.forEach((k, v) -> {
      prefix.add(k);
      v.collect(prefix, out);
      prefix.remove(prefix.size() - 1);
    });
  }

  /** The {@code fieldsV1} JSON of this set. */
  public ObjectNode toFieldsV1() {
    ObjectNode o = Json.object();
    if (member && !children.isEmpty()) {
      o.putObject(".");
    }
    children.forEach((k, v) -> o.set(k, v.toFieldsV1()));
    return o;
  }

  /** Reads a {@code fieldsV1} JSON tree; anything that is not an object counts as a leaf. */
  public static FieldSet fromFieldsV1(JsonNode fields) {
    if (fields == null || !fields.isObject()) {
      return EMPTY;
    }
    if (fields.isEmpty()) {
      return new FieldSet(true, Map.of());
    }
    boolean m = false;
    TreeMap<String, FieldSet> kids = new TreeMap<>();
    Iterator<Map.Entry<String, JsonNode>> it = fields.fields();
    while (it.hasNext()) {
      Map.Entry<String, JsonNode> e = it.next();
      if (e.getKey().equals(".")) {
        m = true;
      } else {
        FieldSet c = fromFieldsV1(e.getValue());
        if (!c.isEmpty()) {
          kids.put(e.getKey(), c);
        }
      }
    }
    return kids.isEmpty() && !m ? EMPTY : new FieldSet(m, kids);
  }

  /** A path in the notation of Kubernetes' conflict messages: {@code .spec.containers[name="web"].image}. */
  public static String describe(List<String> path) {
    StringBuilder b = new StringBuilder();
    for (String e : path) {
      String v = e.substring(2);
      switch (e.charAt(0)) {
        case 'f' -> b.append('.').append(v);
        case 'i' -> b.append('[').append(v).append(']');
        case 'v' -> b.append("[=").append(v).append(']');
        case 'k' -> {
          b.append('[');
          JsonNode key = Json.parseTrusted(v);
          Iterator<Map.Entry<String, JsonNode>> it = key.fields();
          boolean first = true;
          while (it.hasNext()) {
            Map.Entry<String, JsonNode> kv = it.next();
            if (!first) {
              b.append(',');
            }
            first = false;
            b.append(kv.getKey()).append('=').append(Json.write(kv.getValue()));
          }
          b.append(']');
        }
        default -> b.append(e);
      }
    }
    return b.toString();
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof FieldSet f && f.member == member && f.children.equals(children);
  }

  @Override
  public int hashCode() {
    return Boolean.hashCode(member) * 31 + children.hashCode();
  }

  @Override
  public String toString() {
    return Json.write(toFieldsV1());
  }
}
