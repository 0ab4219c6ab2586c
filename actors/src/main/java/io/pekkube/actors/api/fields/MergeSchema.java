package io.pekkube.actors.api.fields;

import io.pekkube.actors.api.ResourceType;
import io.pekkube.actors.api.schema.Definition;
import io.pekkube.actors.api.schema.PatchMeta;
import io.pekkube.actors.api.schema.SchemaCatalog;
import java.util.Optional;

/**
 * The shape of one structure type as far as merging needs it, read from the {@link SchemaCatalog}:
 * which definition a field leads to (following the schema's nested definitions through arrays and
 * maps), and how each list field merges, from that definition's {@link PatchMeta}. A type the
 * catalog does not know is {@link #UNKNOWN}: every list in it is atomic (Kubernetes' behaviour for
 * types without merge information). Kinds without a definition (custom resources) still get
 * ObjectMeta's rules under {@code metadata}.
 */
public final class MergeSchema {
  public static final MergeSchema UNKNOWN = new MergeSchema(null, null);

  private static final String OBJECT_META = "io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta";

  private final SchemaCatalog catalog;
  private final Definition definition;

  private MergeSchema(SchemaCatalog catalog, Definition definition) {
    this.catalog = catalog;
    this.definition = definition;
  }

  /** The schema of a whole object of this type, from the built-in catalog. */
  public static MergeSchema forType(ResourceType type) {
    return forKind(SchemaCatalog.builtin(), type.apiVersion(), type.kind());
  }

  /** The schema of a whole object of ({@code apiVersion}, {@code kind}) in {@code catalog}. */
  public static MergeSchema forKind(SchemaCatalog catalog, String apiVersion, String kind) {
    Optional<Definition> root = catalog.kind(apiVersion, kind);
    if (root.isPresent()) {
      return new MergeSchema(catalog, root.get());
    }
    return new MergeSchema(catalog, null);
  }

  /** The schema of a field's value (for a list or map field: of its items). */
  public MergeSchema field(String name) {
    if (catalog == null) {
      return UNKNOWN;
    }
    if (definition == null) {
      // A kind without a definition: only its metadata is known.
      return "metadata".equals(name) ? named(OBJECT_META) : UNKNOWN;
    }
    return definition.property(name)
        .flatMap(SchemaCatalog::referenced)
        .map(this::named)
        .orElse(UNKNOWN);
  }

  /** How the list in field {@code name} merges in server-side apply ({@code listType}/{@code listMapKey}). */
  public ListRule list(String name) {
    return meta(name).map(MergeSchema::applyRule).orElse(ListRule.ATOMIC);
  }

  /** How the list in field {@code name} merges in a strategic merge patch ({@code patchStrategy}/{@code patchMergeKey}). */
  public ListRule strategicList(String name) {
    return meta(name).map(MergeSchema::strategicRule).orElse(ListRule.ATOMIC);
  }

  private Optional<PatchMeta> meta(String field) {
    return definition == null ? Optional.empty() : PatchMeta.of(definition.name(), field);
  }

  private MergeSchema named(String definitionName) {
    return catalog.definition(definitionName).map(d -> new MergeSchema(catalog, d)).orElse(UNKNOWN);
  }

  private static ListRule applyRule(PatchMeta meta) {
    return switch (meta.listType()) {
      case "map" -> ListRule.map(meta.mergeKey().isEmpty() ? meta.listMapKeys().get(0) : meta.mergeKey(),
          meta.listMapKeys().toArray(String[]::new));
      case "set" -> ListRule.SET;
      default -> ListRule.ATOMIC;
    };
  }

  private static ListRule strategicRule(PatchMeta meta) {
    if (!meta.merges()) {
      return ListRule.ATOMIC;
    }
    return meta.mergeKey().isEmpty() ? ListRule.SET : ListRule.map(meta.mergeKey());
  }
}
