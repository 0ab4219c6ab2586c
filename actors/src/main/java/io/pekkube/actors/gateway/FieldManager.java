package io.pekkube.actors.gateway;

/**
 * The field manager a write is recorded under in managedFields (empty: the writing user), or
 * {@link #applied()}: the object carries managedFields that server-side apply already computed.
 */
public record FieldManager(String name, boolean managedFieldsGiven) {
  public static FieldManager of(String name) {
    return new FieldManager(name, false);
  }

  public static FieldManager applied() {
    return new FieldManager("", true);
  }
}
