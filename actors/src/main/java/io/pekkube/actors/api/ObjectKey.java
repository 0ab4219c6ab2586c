package io.pekkube.actors.api;

/**
 * The identity of one API object inside the control plane: its type's resource key
 * ("deployments.apps"), its namespace ("" when cluster-scoped) and its name.
 */
public record ObjectKey(String resource, String namespace, String name) {

  /** The sharded entity id: names and namespaces never contain '/', so this is unambiguous. */
  public String entityId() {
    return resource + "/" + namespace + "/" + name;
  }

  public static ObjectKey fromEntityId(String entityId) {
    String[] parts = entityId.split("/", 3);
    if (parts.length != 3) {
      throw new IllegalArgumentException("not an object entity id: " + entityId);
    }
    return new ObjectKey(parts[0], parts[1], parts[2]);
  }

  /** Sort key inside one type's cache: namespace, then name, as Kubernetes lists them. */
  public String sortKey() {
    return namespace + "/" + name;
  }
}
