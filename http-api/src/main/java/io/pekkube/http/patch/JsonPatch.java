package io.pekkube.http.patch;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;

/**
 * JSON patch (RFC 6902): add, remove, replace, move, copy and test, addressed by JSON pointers
 * (RFC 6901). The operations apply to a copy in order and all or nothing; a document that is not a
 * list of operations answers 400, an operation that does not apply answers 422 (as Kubernetes does).
 */
public final class JsonPatch {
  /** Kubernetes' limit on the number of operations in one patch. */
  static final int MAX_OPERATIONS = 10000;

  private final List<JsonNode> operations;

  private JsonPatch(List<JsonNode> operations) {
    this.operations = operations;
  }

  /** Checks the shape of a patch document: a list of objects, each with a textual {@code op}. */
  public static JsonPatch parse(JsonNode document) {
    if (!(document instanceof ArrayNode ops)) {
      throw PatchFailure.badRequest("json: cannot unmarshal " + kind(document)
          + " into Go value of type jsonpatch.Patch");
    }
    if (ops.size() > MAX_OPERATIONS) {
      throw new PatchFailure(io.pekkube.actors.api.ApiError.of(413, "RequestEntityTooLarge",
          "The allowed maximum operations in a JSON patch is " + MAX_OPERATIONS + ", got " + ops.size()));
    }
    List<JsonNode> list = new ArrayList<>();
    for (JsonNode op : ops) {
      if (!op.isObject()) {
        throw PatchFailure.badRequest("json: cannot unmarshal " + kind(op)
            + " into Go value of type jsonpatch.Operation");
      }
      list.add(op);
    }
    return new JsonPatch(list);
  }

  /** The patched copy of {@code target}. */
  public JsonNode apply(JsonNode target) {
    JsonNode doc = target.deepCopy();
    for (JsonNode op : operations) {
      doc = applyOne(doc, op);
    }
    return doc;
  }

  private static JsonNode applyOne(JsonNode doc, JsonNode op) {
    String kind = op.path("op").asText("");
    String path = pointer(op, "path");
    return switch (kind) {
      case "add" -> add(doc, path, value(op, kind), kind);
      case "remove" -> {
        Location at = locate(doc, path, kind);
        at.remove("Unable to remove nonexistent key: " + at.last + ": missing value");
        yield doc;
      }
      case "replace" -> {
        Location at = locate(doc, path, kind);
        if (at.isRoot()) {
          yield value(op, kind).deepCopy();
        }
        if (at.get() == null) {
          throw PatchFailure.unprocessable("replace operation does not apply: doc is missing key: " + path
              + ": missing value");
        }
        at.set(value(op, kind).deepCopy());
        yield doc;
      }
      case "move" -> {
        String from = pointer(op, "from");
        Location src = locate(doc, from, kind);
        JsonNode moved = src.get();
        if (moved == null) {
          throw PatchFailure.unprocessable("move operation does not apply: doc is missing from path: " + from
              + ": missing value");
        }
        src.remove("");
        yield add(doc, path, moved, kind);
      }
      case "copy" -> {
        String from = pointer(op, "from");
        JsonNode copied = locate(doc, from, kind).get();
        if (copied == null) {
          throw PatchFailure.unprocessable("copy operation does not apply: doc is missing from path: " + from
              + ": missing value");
        }
        yield add(doc, path, copied.deepCopy(), kind);
      }
      case "test" -> {
        JsonNode expected = op.has("value") ? op.get("value") : null;
        Location at = locate(doc, path, kind);
        JsonNode actual = at.isRoot() ? doc : at.get();
        boolean same = actual == null ? expected == null || expected.isNull() : actual.equals(expected);
        if (!same) {
          throw PatchFailure.unprocessable("testing value " + path + " failed: test failed");
        }
        yield doc;
      }
      default -> throw PatchFailure.unprocessable("Unexpected kind: " + kind);
    };
  }

  private static JsonNode add(JsonNode doc, String path, JsonNode value, String kind) {
    Location at = locate(doc, path, kind);
    if (at.isRoot()) {
      return value.deepCopy();
    }
    at.insert(value.deepCopy(), path);
    return doc;
  }

  private static JsonNode value(JsonNode op, String kind) {
    if (!op.has("value")) {
      throw PatchFailure.unprocessable(kind + " operation does not apply: missing value");
    }
    return op.get("value");
  }

  private static String pointer(JsonNode op, String field) {
    JsonNode p = op.get(field);
    if (p == null || !p.isTextual()) {
      throw PatchFailure.unprocessable("operation missing \"" + field + "\" string");
    }
    String s = p.asText();
    if (!s.isEmpty() && !s.startsWith("/")) {
      throw PatchFailure.unprocessable("JSON pointer must be empty or start with a \"/\": " + s);
    }
    return s;
  }

  /** Where a pointer leads: the container of its last token, and the token. */
  private static Location locate(JsonNode doc, String path, String kind) {
    if (path.isEmpty()) {
      return new Location(null, null);
    }
    String[] tokens = path.substring(1).split("/", -1);
    JsonNode node = doc;
    for (int i = 0; i < tokens.length - 1; i++) {
      node = child(node, unescape(tokens[i]));
      if (node == null) {
        throw PatchFailure.unprocessable(kind + " operation does not apply: doc is missing path: \""
            + path + "\": missing value");
      }
    }
    if (!node.isContainerNode()) {
      throw PatchFailure.unprocessable(kind + " operation does not apply: doc is missing path: \""
          + path + "\": missing value");
    }
    return new Location(node, unescape(tokens[tokens.length - 1]));
  }

  private static JsonNode child(JsonNode node, String token) {
    if (node instanceof ObjectNode o) {
      return o.get(token);
    }
    if (node instanceof ArrayNode a) {
      int i = index(token, a.size() - 1);
      return i < 0 ? null : a.get(i);
    }
    return null;
  }

  /** An array index token: digits only, no leading zero, within {@code max}; -1 otherwise. */
  private static int index(String token, int max) {
    if (token.isEmpty() || token.length() > 9 || !token.chars().allMatch(Character::isDigit)
        || token.length() > 1 && token.charAt(0) == '0') {
      return -1;
    }
    int i = Integer.parseInt(token);
    return i <= max ? i : -1;
  }

  private static String unescape(String token) {
    return token.replace("~1", "/").replace("~0", "~");
  }

  private static String kind(JsonNode node) {
    return node == null ? "null" : switch (node.getNodeType()) {
      case OBJECT -> "object";
      case STRING -> "string";
      case NUMBER -> "number";
      case BOOLEAN -> "bool";
      default -> node.getNodeType().name().toLowerCase();
    };
  }

  private record Location(JsonNode container, String last) {
    boolean isRoot() {
      return container == null;
    }

    JsonNode get() {
      return child(container, last);
    }

    void set(JsonNode value) {
      if (container instanceof ObjectNode o) {
        o.set(last, value);
      } else {
        ((ArrayNode) container).set(index(last, container.size() - 1), value);
      }
    }

    void insert(JsonNode value, String path) {
      if (container instanceof ObjectNode o) {
        o.set(last, value);
        return;
      }
      ArrayNode a = (ArrayNode) container;
      int i = last.equals("-") ? a.size() : index(last, a.size());
      if (i < 0) {
        throw PatchFailure.unprocessable("add operation does not apply: index out of bounds: " + path);
      }
      a.insert(i, value);
    }

    void remove(String message) {
      if (isRoot()) {
        throw PatchFailure.unprocessable("remove operation does not apply: cannot remove the whole document");
      }
      if (get() == null) {
        throw PatchFailure.unprocessable(message.isEmpty() ? "missing value" : message);
      }
      if (container instanceof ObjectNode o) {
        o.remove(last);
      } else {
        ((ArrayNode) container).remove(index(last, container.size() - 1));
      }
    }
  }
}
