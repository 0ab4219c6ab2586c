package io.pekkube.actors.api.fields;

import java.util.List;

/**
 * How the items of one list merge, from the Kubernetes types' {@code patchStrategy}/{@code patchMergeKey}
 * and {@code listType}/{@code listMapKey} tags: replaced whole (atomic), a map keyed by fields of its
 * items, or a set of primitive values.
 */
public record ListRule(Kind kind, String mergeKey, List<String> keys) {

  public enum Kind { ATOMIC, MAP, SET }

  public static final ListRule ATOMIC = new ListRule(Kind.ATOMIC, "", List.of());
  public static final ListRule SET = new ListRule(Kind.SET, "", List.of());

  /** A list of objects merged by {@code mergeKey}; server-side apply identifies items by {@code keys}. */
  public static ListRule map(String mergeKey, String... keys) {
    return new ListRule(Kind.MAP, mergeKey, keys.length == 0 ? List.of(mergeKey) : List.of(keys));
  }
}
