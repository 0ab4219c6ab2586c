package io.pekkube.actors.resources;

import com.fasterxml.jackson.databind.JsonNode;
import io.pekkube.actors.api.selection.FieldSelector;
import io.pekkube.actors.api.selection.FieldSet;
import io.pekkube.actors.api.selection.LabelSelector;

/**
 * Which objects of one type a LIST or WATCH wants: a namespace ("" for all), a label selector and a
 * field selector in their string forms (so the filter crosses the cluster as plain data).
 */
public record ObjectFilter(String kind, String namespace, String labelSelector, String fieldSelector) {

  public static ObjectFilter all(String kind) {
    return new ObjectFilter(kind, "", "", "");
  }

  /** Parses the selectors; throws {@code SelectorParseException} for a malformed one. */
  public Compiled compile() {
    LabelSelector labels = labelSelector.isBlank() ? LabelSelector.everything() : LabelSelector.parse(labelSelector);
    FieldSet fieldSet = FieldSet.forKind(kind);
    // convert() rejects a field the kind does not support, even when no object would be tested.
    FieldSelector fields = fieldSelector.isBlank() ? null : FieldSelector.parse(fieldSelector).convert(fieldSet);
    return new Compiled(namespace, labels, fields, fieldSet, labelSelector.isBlank() && fields == null);
  }

  /** A filter ready to run against object trees. */
  public static final class Compiled {
    private final String namespace;
    private final LabelSelector labels;
    private final FieldSelector fields;
    private final FieldSet fieldSet;
    private final boolean selectsAll;

    Compiled(String namespace, LabelSelector labels, FieldSelector fields, FieldSet fieldSet, boolean selectsAll) {
      this.namespace = namespace;
      this.labels = labels;
      this.fields = fields;
      this.fieldSet = fieldSet;
      this.selectsAll = selectsAll;
    }

    public String namespace() {
      return namespace;
    }

    /** True when only the namespace restricts the result, so objects need not be parsed. */
    public boolean selectsAllInNamespace() {
      return selectsAll;
    }

    public boolean matches(JsonNode object) {
      if (!namespace.isEmpty() && !namespace.equals(object.path("metadata").path("namespace").asText(""))) {
        return false;
      }
      return labels.matches(object) && (fields == null || fields.matches(object, fieldSet));
    }
  }
}
