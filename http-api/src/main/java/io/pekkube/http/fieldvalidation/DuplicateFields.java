package io.pekkube.http.fieldvalidation;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Finds keys that occur twice in one object of a JSON or YAML body. A tree parser keeps only the
 * last one, so this reads the raw token stream. Paths as Kubernetes reports them: {@code
 * metadata.name}, {@code spec.containers[0].image}.
 */
public final class DuplicateFields {
  private DuplicateFields() {}

  /** The paths of duplicated keys, in document order; empty for unparsable input. */
  public static List<String> find(JsonFactory factory, byte[] body) {
    List<String> duplicates = new ArrayList<>();
    Deque<Frame> stack = new ArrayDeque<>();
    try (JsonParser p = factory.createParser(body)) {
      String pendingKey = null;
      for (JsonToken t = p.nextToken(); t != null; t = p.nextToken()) {
        switch (t) {
          case FIELD_NAME -> {
            Frame top = stack.peek();
            pendingKey = p.currentName();
            if (top != null && !top.keys.add(pendingKey)) {
              duplicates.add(top.child(pendingKey));
            }
          }
          case START_OBJECT, START_ARRAY -> {
            stack.push(new Frame(childPath(stack, pendingKey), t == JsonToken.START_ARRAY));
            pendingKey = null;
          }
          case END_OBJECT, END_ARRAY -> {
            stack.pop();
            advance(stack);
          }
          default -> advance(stack);
        }
      }
    } catch (IOException e) {
      return List.of();
    }
    return duplicates;
  }

  private static String childPath(Deque<Frame> stack, String key) {
    Frame top = stack.peek();
    if (top == null) {
      return "";
    }
    return top.array ? top.path + "[" + top.index + "]" : top.child(key);
  }

  private static void advance(Deque<Frame> stack) {
    Frame top = stack.peek();
    if (top != null && top.array) {
      top.index++;
    }
  }

  private static final class Frame {
    final String path;
    final boolean array;
    final Set<String> keys = new HashSet<>();
    int index;

    Frame(String path, boolean array) {
      this.path = path;
      this.array = array;
    }

    String child(String key) {
      return path.isEmpty() ? key : path + "." + key;
    }
  }
}
