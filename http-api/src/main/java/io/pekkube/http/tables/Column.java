package io.pekkube.http.tables;

/**
 * One column of a Table ({@code meta.k8s.io/v1 TableColumnDefinition}). kubectl shows priority 0
 * columns always and priority 1 columns only with {@code -o wide}; it upper-cases the names.
 *
 * @param type   "string", "integer", "boolean", "number" or "date"
 * @param format "name" marks the column holding the object's name; "" otherwise
 */
public record Column(String name, String type, String format, String description, int priority) {

  static final String NAME_DOC = "Name must be unique within a namespace. Is required when creating resources, although"
      + " some resources may allow a client to request the generation of an appropriate name automatically."
      + " Name is primarily intended for creation idempotence and configuration definition. Cannot be updated.";
  static final String AGE_DOC = "CreationTimestamp is a timestamp representing the server time when this object was"
      + " created. It is not guaranteed to be set in happens-before order across separate operations. Clients may"
      + " not set this value. It is represented in RFC3339 form and is in UTC.";
  static final String CONTAINERS_DOC = "Names of each container in the template.";
  static final String IMAGES_DOC = "Images referenced by each container in the template.";

  public static Column nameColumn() {
    return new Column("Name", "string", "name", NAME_DOC, 0);
  }

  public static Column ageColumn() {
    return new Column("Age", "string", "", AGE_DOC, 0);
  }

  public static Column text(String name, String description) {
    return new Column(name, "string", "", description, 0);
  }

  public static Column integer(String name, String description) {
    return new Column(name, "integer", "", description, 0);
  }

  public static Column bool(String name, String description) {
    return new Column(name, "boolean", "", description, 0);
  }

  /** The same column shown only with {@code -o wide}. */
  public Column wide() {
    return new Column(name, type, format, description, 1);
  }
}
