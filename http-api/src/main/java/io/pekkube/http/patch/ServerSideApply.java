package io.pekkube.http.patch;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.pekkube.actors.api.ApiError;
import io.pekkube.actors.api.Json;
import io.pekkube.actors.api.ResourceType;
import io.pekkube.actors.api.fields.FieldSet;
import io.pekkube.actors.api.fields.ManagedFields;
import io.pekkube.actors.api.fields.ManagedFieldsEntry;
import io.pekkube.actors.api.fields.ObjectFields;
import io.pekkube.actors.api.fields.MergeSchema;
import java.util.ArrayList;
import java.util.List;

/**
 * Server-side apply as structured-merge-diff does it, as a pure function of (live object, applied
 * configuration, manager, force): merge the configuration into the object; refuse with 409 when that
 * changes a field another manager owns, unless forced (then the applier takes it over); remove the
 * fields this manager applied before and no longer applies when no other manager owns them; record
 * the applied fields as this manager's Apply entry.
 */
public final class ServerSideApply {

  private ServerSideApply() {}

  /**
   * The object to write, carrying its new managedFields. {@code live} is null when the object does
   * not exist yet. Throws {@link PatchFailure} on a conflict.
   */
  public static ObjectNode apply(ResourceType type, ObjectNode live, ObjectNode applied, String manager,
      boolean force, String subresource, String time) {
    MergeSchema schema = MergeSchema.forType(type);
    ObjectNode config = scoped(type, applied, subresource);
    FieldSet appliedSet = ObjectFields.of(config, schema);
    ObjectNode base = live == null ? Json.object() : live;
    ObjectNode merged = ApplyMerge.merge(base, config, schema);
    FieldSet changed = ObjectFields.changed(base, merged, schema);

    List<ManagedFieldsEntry> others = new ArrayList<>();
    FieldSet previous = FieldSet.EMPTY;
    List<String> conflicts = new ArrayList<>();
    List<ApiError.Cause> causes = new ArrayList<>();
    for (ManagedFieldsEntry e : ManagedFields.read(live)) {
      if (e.sameManager(manager, ManagedFieldsEntry.APPLY, type.apiVersion(), subresource)) {
        previous = previous.union(e.fields());
        continue;
      }
      FieldSet contested = e.fields().intersection(changed);
      for (List<String> path : contested.paths()) {
        String field = FieldSet.describe(path);
        conflicts.add(e.describe() + ": " + field);
        causes.add(new ApiError.Cause("FieldManagerConflict", "conflict with " + e.describe(), field));
      }
      others.add(force ? e.withFields(e.fields().difference(contested)) : e);
    }
    if (!conflicts.isEmpty() && !force) {
      throw new PatchFailure(conflictError(type, Json.meta(base.isEmpty() ? config : base, "name"), causes));
    }
    FieldSet ownedByOthers = FieldSet.EMPTY;
    for (ManagedFieldsEntry e : others) {
      ownedByOthers = ownedByOthers.union(e.fields());
    }
    for (List<String> path : previous.difference(appliedSet).paths()) {
      if (!ownedByOthers.contains(path) && !hasOwnedBelow(ownedByOthers, path)) {
        ApplyMerge.remove(merged, path, schema);
      }
    }
    if (live != null && ManagedFields.sameIgnoringManagedFields(live, merged) && appliedSet.equals(previous)
        && (conflicts.isEmpty())) {
      return live.deepCopy();
    }
    FieldSet present = ObjectFields.of(merged, schema);
    List<ManagedFieldsEntry> entries = new ArrayList<>();
    for (ManagedFieldsEntry e : others) {
      entries.add(e.withFields(e.fields().intersection(present)));
    }
    entries.add(new ManagedFieldsEntry(manager, ManagedFieldsEntry.APPLY, type.apiVersion(), time, subresource,
        appliedSet));
    ManagedFields.write(merged, entries);
    return merged;
  }

  /** The part of the configuration this endpoint may set: no status on the main resource, only status on /status. */
  private static ObjectNode scoped(ResourceType type, ObjectNode applied, String subresource) {
    ObjectNode config = applied.deepCopy();
    ObjectNode meta = Json.metadata(config);
    meta.remove("managedFields");
    if (subresource.equals("status")) {
      ObjectNode only = Json.object();
      only.set("metadata", meta);
      if (config.has("status")) {
        only.set("status", config.get("status"));
      }
      return only;
    }
    if (type.hasStatus()) {
      config.remove("status");
    }
    return config;
  }

  private static boolean hasOwnedBelow(FieldSet owned, List<String> path) {
    FieldSet node = owned;
    for (String e : path) {
      node = node.child(e);
    }
    return !node.isEmpty();
  }

  /** Kubernetes' apply conflict Status (NewApplyConflict). */
  static ApiError conflictError(ResourceType type, String name, List<ApiError.Cause> causes) {
    String message;
    if (causes.size() == 1) {
      message = "Apply failed with 1 conflict: " + causes.get(0).message() + ": " + causes.get(0).field();
    } else {
      java.util.TreeMap<String, List<String>> byManager = new java.util.TreeMap<>();
      for (ApiError.Cause c : causes) {
        byManager.computeIfAbsent(c.message().replaceFirst("^conflict with ", ""), k -> new ArrayList<>())
            .add(c.field());
      }
      List<String> lines = new ArrayList<>();
      byManager.forEach((m, fields) -> {
        lines.add("conflicts with " + m);
        fields.forEach(f -> lines.add("- " + f));
      });
      message = "Apply failed with " + causes.size() + " conflicts: " + String.join("\n", lines);
    }
    return new ApiError(409, "Conflict", message,
        new ApiError.Details(name, type.group(), type.plural(), List.copyOf(causes)), null);
  }
}
