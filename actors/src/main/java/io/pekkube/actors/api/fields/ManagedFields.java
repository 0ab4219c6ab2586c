package io.pekkube.actors.api.fields;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.pekkube.actors.api.Json;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code metadata.managedFields} as the Kubernetes field manager keeps it, as pure functions.
 * An Update operation (create, PUT, and every patch but apply) gives its manager the fields it
 * changed and takes them away from every other manager; fields that no longer exist leave every
 * set. A write that changes nothing but managedFields keeps the old entries (their times too).
 */
public final class ManagedFields {

  private ManagedFields() {}

  public static List<ManagedFieldsEntry> read(JsonNode object) {
    List<ManagedFieldsEntry> out = new ArrayList<>();
    if (object != null) {
      for (JsonNode e : object.path("metadata").path("managedFields")) {
        out.add(ManagedFieldsEntry.read(e));
      }
    }
    return out;
  }

  /** Writes {@code entries} (sorted, without empty ones) into the object's metadata. */
  public static void write(ObjectNode object, List<ManagedFieldsEntry> entries) {
    List<ManagedFieldsEntry> kept = new ArrayList<>();
    for (ManagedFieldsEntry e : entries) {
      if (!e.fields().isEmpty()) {
        kept.add(e);
      }
    }
    kept.sort(ManagedFieldsEntry.ORDER);
    ObjectNode meta = Json.metadata(object);
    if (kept.isEmpty()) {
      meta.remove("managedFields");
      return;
    }
    ArrayNode a = meta.putArray("managedFields");
    kept.forEach(e -> a.add(e.toJson()));
  }

  /**
   * Records an Update by {@code manager} that turns {@code live} (null on create) into {@code next},
   * in {@code next}'s metadata. {@code next} may carry managedFields set by the client: a different
   * list replaces the stored one, an empty list removes them all.
   */
  public static void recordUpdate(ObjectNode live, ObjectNode next, MergeSchema schema, String manager,
      String apiVersion, String subresource, String time) {
    ObjectNode meta = Json.metadata(next);
    JsonNode given = meta.get("managedFields");
    JsonNode stored = live == null ? null : live.path("metadata").get("managedFields");
    if (given != null && given.isArray() && given.isEmpty()) {
      meta.remove("managedFields");
      return;
    }
    JsonNode base = given != null && given.isArray() ? given : stored;
    if (live != null && sameIgnoringManagedFields(live, next)) {
      setOrRemove(meta, base);
      return;
    }
    meta.remove("managedFields");
    FieldSet present = ObjectFields.of(next, schema);
    // On create every present field is a changed one: the walk of the object is not done twice.
    FieldSet changed = live == null ? present : ObjectFields.changed(live, next, schema);
    List<ManagedFieldsEntry> entries = new ArrayList<>();
    FieldSet mine = FieldSet.EMPTY;
    for (JsonNode e : base == null ? List.<JsonNode>of() : base) {
      ManagedFieldsEntry entry = ManagedFieldsEntry.read(e);
      if (entry.sameManager(manager, ManagedFieldsEntry.UPDATE, apiVersion, subresource)) {
        mine = mine.union(entry.fields());
      } else {
        entries.add(entry.withFields(entry.fields().difference(changed).intersection(present)));
      }
    }
    entries.add(new ManagedFieldsEntry(manager, ManagedFieldsEntry.UPDATE, apiVersion, time, subresource,
        mine.union(changed).intersection(present)));
    write(next, entries);
  }

  /** Equal apart from managedFields and resourceVersion, compared without copying either tree. */
  public static boolean sameIgnoringManagedFields(ObjectNode a, ObjectNode b) {
    ObjectNode ma = Json.metadata(a);
    ObjectNode mb = Json.metadata(b);
    JsonNode fa = ma.remove("managedFields");
    JsonNode fb = mb.remove("managedFields");
    JsonNode ra = ma.remove("resourceVersion");
    JsonNode rb = mb.remove("resourceVersion");
    try {
      return a.equals(b);
    } finally {
      restore(ma, "managedFields", fa);
      restore(mb, "managedFields", fb);
      restore(ma, "resourceVersion", ra);
      restore(mb, "resourceVersion", rb);
    }
  }

  private static void restore(ObjectNode meta, String field, JsonNode value) {
    if (value != null) {
      meta.set(field, value);
    }
  }

  private static void setOrRemove(ObjectNode meta, JsonNode managed) {
    if (managed == null) {
      meta.remove("managedFields");
    } else {
      meta.set("managedFields", managed.deepCopy());
    }
  }
}
