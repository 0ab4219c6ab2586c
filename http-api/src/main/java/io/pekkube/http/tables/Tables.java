package io.pekkube.http.tables;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.pekkube.actors.api.Json;
import io.pekkube.actors.api.ResourceType;
import java.time.Instant;
import java.util.List;

/**
 * Builds {@code meta.k8s.io Table}s: for one object (GET, a watch event) or a list page (LIST,
 * with the list's resourceVersion, continue and remainingItemCount).
 */
public final class Tables {
  private Tables() {}

  /** The Table of one object; {@code headers} false leaves out the column definitions (later watch events). */
  public static ObjectNode ofObject(ResourceType type, TableRequest request, JsonNode object, boolean headers,
      Instant now) {
    Printer printer = Printers.forType(type);
    ObjectNode table = table(request, printer, headers);
    table.with("metadata").put("resourceVersion", Json.meta(object, "resourceVersion"));
    table.withArray("rows").add(row(printer, request, object, now));
    return table;
  }

  /** The Table of a list page. */
  public static ObjectNode ofList(ResourceType type, TableRequest request, long resourceVersion, List<String> items,
      String continueToken, Long remaining, Instant now) {
    Printer printer = Printers.forType(type);
    ObjectNode table = table(request, printer, true);
    ObjectNode meta = table.with("metadata");
    meta.put("resourceVersion", Long.toString(resourceVersion));
    if (continueToken != null && !continueToken.isEmpty()) {
      meta.put("continue", continueToken);
    }
    if (remaining != null) {
      meta.put("remainingItemCount", remaining);
    }
    ArrayNode rows = table.withArray("rows");
    for (String item : items) {
      rows.add(row(printer, request, Json.parseTrusted(item), now));
    }
    return table;
  }

  /** A row-less Table carrying only a resourceVersion (a watch bookmark). */
  public static ObjectNode bookmark(TableRequest request, long resourceVersion, boolean headers, ResourceType type) {
    ObjectNode table = table(request, Printers.forType(type), headers);
    table.with("metadata").put("resourceVersion", Long.toString(resourceVersion));
    return table;
  }

  private static ObjectNode table(TableRequest request, Printer printer, boolean headers) {
    ObjectNode t = Json.object();
    t.put("kind", "Table");
    t.put("apiVersion", request.apiVersion());
    t.putObject("metadata");
    if (headers) {
      ArrayNode columns = t.putArray("columnDefinitions");
      for (Column c : printer.columns()) {
        ObjectNode col = columns.addObject();
        col.put("name", c.name());
        col.put("type", c.type());
        col.put("format", c.format());
        col.put("description", c.description());
        col.put("priority", c.priority());
      }
    } else {
      t.putNull("columnDefinitions");
    }
    t.putArray("rows");
    return t;
  }

  static ObjectNode row(Printer printer, TableRequest request, JsonNode object, Instant now) {
    ObjectNode row = Json.object();
    ArrayNode cells = row.putArray("cells");
    for (Object cell : printer.cells(object, now)) {
      cells.addPOJO(cell);
    }
    switch (request.include()) {
      case OBJECT -> row.set("object", object);
      case METADATA -> {
        ObjectNode partial = row.putObject("object");
        partial.put("kind", "PartialObjectMetadata");
        partial.put("apiVersion", request.apiVersion());
        partial.set("metadata", object.path("metadata").deepCopy());
      }
      case NONE -> row.putNull("object");
    }
    return row;
  }
}
