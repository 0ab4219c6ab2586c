package io.pekkube.actors.api.schema;

import io.pekkube.actors.api.BuiltinTypes;
import io.pekkube.actors.api.ResourceType;
import java.util.ArrayDeque;
import java.util.Collection;
import java.util.Collections;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The schemas of API types, derived from Kubernetes' generated type definitions (see {@link
 * CatalogBuilder}); never written by hand per type. One catalog serves OpenAPI, field validation
 * and the protobuf decoder, so they agree on what a field is.
 */
public final class SchemaCatalog {
  private final Map<String, Definition> definitions;
  /** "apps/v1#Deployment" → the definition name of that kind. */
  private final Map<String, String> roots;
  private final Set<String> inlined;

  SchemaCatalog(Map<String, Definition> definitions, Map<String, String> roots, Set<String> inlined) {
    this.definitions = Collections.unmodifiableMap(new LinkedHashMap<>(definitions));
    this.roots = Map.copyOf(roots);
    this.inlined = Set.copyOf(inlined);
  }

  /** The catalog of {@link BuiltinTypes#ALL_TYPES}. */
  public static SchemaCatalog builtin() {
    return Builtin.INSTANCE;
  }

  private static final class Builtin {
    static final SchemaCatalog INSTANCE = of(BuiltinTypes.ALL_TYPES);
  }

  /** The catalog of these types; kinds Kubernetes has no definition for are left out. */
  public static SchemaCatalog of(Collection<ResourceType> types) {
    return new CatalogBuilder().build(types);
  }

  /** Every definition by name. */
  public Map<String, Definition> definitions() {
    return definitions;
  }

  public Optional<Definition> definition(String name) {
    return Optional.ofNullable(definitions.get(name));
  }

  /** The definition of a top-level kind ("apps/v1", "Deployment"). */
  public Optional<Definition> kind(String apiVersion, String kind) {
    return Optional.ofNullable(roots.get(gvk(apiVersion, kind))).map(definitions::get);
  }

  public Optional<Definition> kind(ResourceType type) {
    return kind(type.apiVersion(), type.kind());
  }

  /** The names of {@code names} and of every definition they reach, in a stable order. */
  public Set<String> closure(Collection<String> names) {
    Set<String> out = new LinkedHashSet<>();
    Deque<String> todo = new ArrayDeque<>(names);
    while (!todo.isEmpty()) {
      String name = todo.poll();
      Definition d = definitions.get(name);
      if (d == null || !out.add(name)) {
        continue;
      }
      for (FieldType t : d.properties().values()) {
        referenced(t).ifPresent(todo::add);
      }
    }
    return out;
  }

  /**
   * Whether protobuf field {@code field} of message {@code messageFullName} is embedded in its
   * parent's JSON (Go {@code json:",inline"}), e.g. ("k8s.io.api.core.v1.Volume", "volumeSource").
   */
  public boolean isInlined(String messageFullName, String field) {
    return inlined.contains(messageFullName + "." + field);
  }

  /** The definition a field type points to, through arrays and maps. */
  public static Optional<String> referenced(FieldType t) {
    if (t instanceof FieldType.Ref r) {
      return Optional.of(r.name());
    } else if (t instanceof FieldType.ArrayOf a) {
      return referenced(a.items());
    } else if (t instanceof FieldType.MapOf m) {
      return referenced(m.values());
    }
    return Optional.empty();
  }

  static String gvk(String apiVersion, String kind) {
    return apiVersion + "#" + kind;
  }
}
