package io.pekkube.actors.api.schema;

import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * One named schema, named as Kubernetes names it in OpenAPI ("io.k8s.api.core.v1.ConfigMap").
 *
 * @param name       the Kubernetes definition name
 * @param kind       an ordinary object with properties, or one of the types with their own JSON
 *                   form (time, quantity, int-or-string, free-form object)
 * @param properties JSON name → type, in declaration order; empty unless {@code kind} is OBJECT
 * @param required   the properties Kubernetes marks required (empty when the source has none)
 */
public record Definition(String name, Kind kind, Map<String, FieldType> properties, Set<String> required) {

  /** How a value of this definition looks in JSON. */
  public enum Kind {
    /** A JSON object with the listed properties; others are unknown fields. */
    OBJECT,
    /** meta/v1 Time and MicroTime: an RFC 3339 string. */
    DATE_TIME,
    /** resource.Quantity: "100m", "1Gi" or a number. */
    QUANTITY,
    /** intstr.IntOrString: an integer or a string. */
    INT_OR_STRING,
    /** runtime.RawExtension, FieldsV1, apiextensions JSON: any JSON, kept as it is. */
    FREE_FORM
  }

  public Definition {
    properties = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(properties));
    required = Set.copyOf(required);
  }

  /** The type of property {@code field}, if this is an object that declares it. */
  public Optional<FieldType> property(String field) {
    return Optional.ofNullable(properties.get(field));
  }

  /** The short name after the last dot: "ConfigMap". */
  public String simpleName() {
    return name.substring(name.lastIndexOf('.') + 1);
  }
}
