package io.pekkube.actors.api.validation;

import com.fasterxml.jackson.databind.JsonNode;
import io.pekkube.actors.api.ResourceType.NameRule;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * Checks of {@code metadata} as apimachinery's {@code api/validation/objectmeta.go} does them.
 * Every check returns errors as values; none throws on malformed input. The map and list checks
 * skip entries of the wrong JSON type, which {@link #validateMetadataTypes} reports.
 */
public final class ObjectMetaValidation {

  /** The limit on the summed size of annotation keys and values (256 KiB). */
  public static final int TOTAL_ANNOTATION_SIZE_LIMIT_BYTES = 256 * 1024;

  public static final String FINALIZER_ORPHAN_DEPENDENTS = "orphan";
  public static final String FINALIZER_DELETE_DEPENDENTS = "foregroundDeletion";

  private ObjectMetaValidation() {}

  /**
   * {@code ValidateLabels}: keys are qualified names, values label values; every error is
   * reported at {@code path} itself, as Kubernetes does.
   */
  public static List<FieldError> validateLabels(JsonNode labels, String path) {
    List<FieldError> errs = new ArrayList<>();
    if (labels == null || !labels.isObject()) {
      return errs;
    }
    for (Iterator<Map.Entry<String, JsonNode>> it = labels.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> e = it.next();
      for (String msg : Names.isQualifiedName(e.getKey())) {
        errs.add(FieldError.invalid(path, e.getKey(), msg));
      }
      if (e.getValue().isTextual()) {
        String value = e.getValue().textValue();
        for (String msg : Names.isValidLabelValue(value)) {
          errs.add(FieldError.invalid(path, value, msg));
        }
      }
    }
    return errs;
  }

  /**
   * {@code ValidateAnnotations}: keys are qualified names compared in lower case; keys and values
   * together may not exceed {@value #TOTAL_ANNOTATION_SIZE_LIMIT_BYTES} bytes.
   */
  public static List<FieldError> validateAnnotations(JsonNode annotations, String path) {
    List<FieldError> errs = new ArrayList<>();
    if (annotations == null || !annotations.isObject()) {
      return errs;
    }
    long totalSize = 0;
    for (Iterator<Map.Entry<String, JsonNode>> it = annotations.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> e = it.next();
      String key = e.getKey();
      for (String msg : Names.isQualifiedName(key.toLowerCase(java.util.Locale.ROOT))) {
        errs.add(FieldError.invalid(path, key, msg));
      }
      totalSize += Names.byteLength(key);
      if (e.getValue().isTextual()) {
        totalSize += Names.byteLength(e.getValue().textValue());
      }
    }
    if (totalSize > TOTAL_ANNOTATION_SIZE_LIMIT_BYTES) {
      errs.add(FieldError.tooLong(path, "", TOTAL_ANNOTATION_SIZE_LIMIT_BYTES));
    }
    return errs;
  }

  /**
   * {@code ValidateFinalizers}: each is a qualified name, and "orphan" and "foregroundDeletion"
   * exclude each other. Errors are reported at {@code path}, not per index, as Kubernetes does.
   */
  public static List<FieldError> validateFinalizers(JsonNode finalizers, String path) {
    List<FieldError> errs = new ArrayList<>();
    if (finalizers == null || !finalizers.isArray()) {
      return errs;
    }
    List<String> all = new ArrayList<>();
    for (JsonNode f : finalizers) {
      if (!f.isTextual()) {
        continue;
      }
      String name = f.textValue();
      all.add(name);
      for (String msg : Names.isQualifiedName(name)) {
        errs.add(FieldError.invalid(path, name, msg));
      }
    }
    if (all.contains(FINALIZER_ORPHAN_DEPENDENTS) && all.contains(FINALIZER_DELETE_DEPENDENTS)) {
      errs.add(FieldError.invalid(path, all, "finalizer " + FINALIZER_ORPHAN_DEPENDENTS + " and "
          + FINALIZER_DELETE_DEPENDENTS + " cannot be both set"));
    }
    return errs;
  }

  /**
   * {@code metadata.generateName} checked against the type's name rule as a prefix; "" (absent)
   * is valid.
   */
  public static List<FieldError> validateGenerateName(String generateName, NameRule rule,
      String path) {
    List<FieldError> errs = new ArrayList<>();
    if (generateName == null || generateName.isEmpty()) {
      return errs;
    }
    for (String msg : Names.validate(generateName, rule, true)) {
      errs.add(FieldError.invalid(path, generateName, msg));
    }
    return errs;
  }

  /** {@code metadata.name} checked against the type's name rule; "" is a required-value error. */
  public static List<FieldError> validateName(String name, NameRule rule, String path) {
    List<FieldError> errs = new ArrayList<>();
    if (name == null || name.isEmpty()) {
      errs.add(FieldError.required(path, "name or generateName is required"));
      return errs;
    }
    for (String msg : Names.validate(name, rule, false)) {
      errs.add(FieldError.invalid(path, name, msg));
    }
    return errs;
  }

  /**
   * {@code metadata.namespace}: required and a DNS-1123 label on namespaced types, forbidden on
   * cluster-scoped ones.
   */
  public static List<FieldError> validateNamespace(String namespace, boolean namespaced,
      String path) {
    List<FieldError> errs = new ArrayList<>();
    boolean empty = namespace == null || namespace.isEmpty();
    if (namespaced) {
      if (empty) {
        errs.add(FieldError.required(path, ""));
      } else {
        for (String msg : Names.isDns1123Label(namespace)) {
          errs.add(FieldError.invalid(path, namespace, msg));
        }
      }
    } else if (!empty) {
      errs.add(FieldError.forbidden(path, "not allowed on this type"));
    }
    return errs;
  }

  /**
   * Reports fields of {@code metadata} whose JSON type is wrong (a label that is a number, labels
   * that are a list, ...) as FieldValueInvalid, worded like the API server's schema check:
   * {@code metadata.labels in body must be of type object: "array"}. JSON null counts as absent.
   */
  public static List<FieldError> validateMetadataTypes(JsonNode metadata) {
    List<FieldError> errs = new ArrayList<>();
    if (metadata == null || metadata.isMissingNode() || metadata.isNull()) {
      return errs;
    }
    if (!expect(metadata, "metadata", JsonType.OBJECT, errs)) {
      return errs;
    }
    for (String f : List.of("name", "generateName", "namespace", "uid", "resourceVersion",
        "selfLink", "creationTimestamp", "deletionTimestamp")) {
      expect(metadata.get(f), "metadata." + f, JsonType.STRING, errs);
    }
    for (String f : List.of("generation", "deletionGracePeriodSeconds")) {
      expect(metadata.get(f), "metadata." + f, JsonType.INTEGER, errs);
    }
    for (String f : List.of("labels", "annotations")) {
      JsonNode map = metadata.get(f);
      if (expect(map, "metadata." + f, JsonType.OBJECT, errs) && map != null) {
        for (Iterator<Map.Entry<String, JsonNode>> it = map.fields(); it.hasNext(); ) {
          Map.Entry<String, JsonNode> e = it.next();
          expect(e.getValue(), "metadata." + f + "[" + e.getKey() + "]", JsonType.STRING, errs);
        }
      }
    }
    JsonNode finalizers = metadata.get("finalizers");
    if (expect(finalizers, "metadata.finalizers", JsonType.ARRAY, errs) && finalizers != null) {
      for (int i = 0; i < finalizers.size(); i++) {
        expect(finalizers.get(i), "metadata.finalizers[" + i + "]", JsonType.STRING, errs);
      }
    }
    JsonNode owners = metadata.get("ownerReferences");
    if (expect(owners, "metadata.ownerReferences", JsonType.ARRAY, errs) && owners != null) {
      for (int i = 0; i < owners.size(); i++) {
        String at = "metadata.ownerReferences[" + i + "]";
        JsonNode ref = owners.get(i);
        if (expect(ref, at, JsonType.OBJECT, errs) && ref != null && ref.isObject()) {
          for (String f : List.of("apiVersion", "kind", "name", "uid")) {
            expect(ref.get(f), at + "." + f, JsonType.STRING, errs);
          }
          for (String f : List.of("controller", "blockOwnerDeletion")) {
            expect(ref.get(f), at + "." + f, JsonType.BOOLEAN, errs);
          }
        }
      }
    }
    JsonNode managed = metadata.get("managedFields");
    if (expect(managed, "metadata.managedFields", JsonType.ARRAY, errs) && managed != null) {
      for (int i = 0; i < managed.size(); i++) {
        expect(managed.get(i), "metadata.managedFields[" + i + "]", JsonType.OBJECT, errs);
      }
    }
    return errs;
  }

  /** OpenAPI type names, as the schema validator words them. */
  private enum JsonType {
    OBJECT("object"), ARRAY("array"), STRING("string"), INTEGER("integer"), BOOLEAN("boolean");

    final String openApiName;

    JsonType(String openApiName) {
      this.openApiName = openApiName;
    }

    boolean accepts(JsonNode node) {
      return switch (this) {
        case OBJECT -> node.isObject();
        case ARRAY -> node.isArray();
        case STRING -> node.isTextual();
        case INTEGER -> node.isIntegralNumber();
        case BOOLEAN -> node.isBoolean();
      };
    }
  }

  // Returns true when the node is absent, null or of the expected type.
  private static boolean expect(JsonNode node, String path, JsonType type, List<FieldError> errs) {
    if (node == null || node.isNull() || node.isMissingNode() || type.accepts(node)) {
      return true;
    }
    String actual = typeName(node);
    errs.add(FieldError.invalid(path, actual,
        path + " in body must be of type " + type.openApiName + ": \"" + actual + "\""));
    return false;
  }

  private static String typeName(JsonNode node) {
    if (node.isObject()) {
      return "object";
    }
    if (node.isArray()) {
      return "array";
    }
    if (node.isTextual()) {
      return "string";
    }
    if (node.isIntegralNumber()) {
      return "integer";
    }
    if (node.isNumber()) {
      return "number";
    }
    if (node.isBoolean()) {
      return "boolean";
    }
    return node.getNodeType().name().toLowerCase(java.util.Locale.ROOT);
  }
}
