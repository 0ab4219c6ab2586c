package io.pekkube.actors.api.fields;

import java.util.Map;

/**
 * The shape of one structure type as far as merging needs it: which fields lead to which structure
 * types, and how each list field merges. A field the schema does not know leads to {@link #UNKNOWN},
 * under which every list is atomic (Kubernetes' behaviour for types without merge information).
 */
public final class MergeSchema {
  public static final MergeSchema UNKNOWN = new MergeSchema(Map.of(), Map.of());

  private final Map<String, String> fieldTypes;
  private final Map<String, ListRule> lists;
  private Map<String, MergeSchema> resolved = Map.of();

  MergeSchema(Map<String, String> fieldTypes, Map<String, ListRule> lists) {
    this.fieldTypes = fieldTypes;
    this.lists = lists;
  }

  void resolve(Map<String, MergeSchema> byName) {
    java.util.HashMap<String, MergeSchema> r = new java.util.HashMap<>();
    fieldTypes.forEach((field, type) -> r.put(field, byName.getOrDefault(type, UNKNOWN)));
    resolved = Map.copyOf(r);
  }

  /** The schema of a field's value (for a list field: of its items). */
  public MergeSchema field(String name) {
    return resolved.getOrDefault(name, UNKNOWN);
  }

  /** How the list in field {@code name} merges; atomic when not known. */
  public ListRule list(String name) {
    return lists.getOrDefault(name, ListRule.ATOMIC);
  }
}
