package io.pekkube.actors.api.schema;

/** The type of one property of a {@link Definition}. */
public sealed interface FieldType {

  /** A JSON scalar: type "string", "integer", "number" or "boolean", with an OpenAPI format. */
  record Scalar(String type, String format) implements FieldType {
    public static final Scalar STRING = new Scalar("string", "");
    public static final Scalar BOOLEAN = new Scalar("boolean", "");
    public static final Scalar INT32 = new Scalar("integer", "int32");
    public static final Scalar INT64 = new Scalar("integer", "int64");
    public static final Scalar DOUBLE = new Scalar("number", "double");
    /** Protobuf {@code bytes}: base64 text in JSON (Secret data). */
    public static final Scalar BYTES = new Scalar("string", "byte");
  }

  /** A named definition of the catalog, e.g. "io.k8s.api.core.v1.PodSpec". */
  record Ref(String name) implements FieldType {}

  /** A JSON array of {@code items}. */
  record ArrayOf(FieldType items) implements FieldType {}

  /** A JSON object with string keys and {@code values} (protobuf map fields). */
  record MapOf(FieldType values) implements FieldType {}
}
