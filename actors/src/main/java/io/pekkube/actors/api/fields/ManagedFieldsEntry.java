package io.pekkube.actors.api.fields;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.pekkube.actors.api.Json;
import java.util.Comparator;

/** One entry of {@code metadata.managedFields}: who set which fields, how and when. */
public record ManagedFieldsEntry(String manager, String operation, String apiVersion, String time,
    String subresource, FieldSet fields) {

  public static final String APPLY = "Apply";
  public static final String UPDATE = "Update";

  /** Kubernetes' order: Apply before Update, then by time, manager, apiVersion, subresource. */
  public static final Comparator<ManagedFieldsEntry> ORDER = Comparator
      .comparing(ManagedFieldsEntry::operation)
      .thenComparing(ManagedFieldsEntry::time)
      .thenComparing(ManagedFieldsEntry::manager)
      .thenComparing(ManagedFieldsEntry::apiVersion)
      .thenComparing(ManagedFieldsEntry::subresource);

  /** Entries with the same identity are one manager: appliers are one manager across API versions. */
  public boolean sameManager(String otherManager, String otherOperation, String otherApiVersion,
      String otherSubresource) {
    return manager.equals(otherManager) && operation.equals(otherOperation)
        && subresource.equals(otherSubresource)
        && (operation.equals(APPLY) || apiVersion.equals(otherApiVersion));
  }

  public ManagedFieldsEntry withFields(FieldSet f) {
    return new ManagedFieldsEntry(manager, operation, apiVersion, time, subresource, f);
  }

  /** How a conflict message names this manager (Kubernetes' printManager). */
  public String describe() {
    String s = "\"" + manager + "\"";
    if (!subresource.isEmpty()) {
      s += " with subresource \"" + subresource + "\"";
    }
    return operation.equals(UPDATE) ? s + " using " + apiVersion : s;
  }

  public static ManagedFieldsEntry read(JsonNode e) {
    return new ManagedFieldsEntry(e.path("manager").asText(""), e.path("operation").asText(""),
        e.path("apiVersion").asText(""), e.path("time").asText(""), e.path("subresource").asText(""),
        FieldSet.fromFieldsV1(e.get("fieldsV1")));
  }

  public ObjectNode toJson() {
    ObjectNode o = Json.object();
    o.put("manager", manager);
    o.put("operation", operation);
    o.put("apiVersion", apiVersion);
    if (!time.isEmpty()) {
      o.put("time", time);
    }
    o.put("fieldsType", "FieldsV1");
    o.set("fieldsV1", fields.toFieldsV1());
    if (!subresource.isEmpty()) {
      o.put("subresource", subresource);
    }
    return o;
  }
}
