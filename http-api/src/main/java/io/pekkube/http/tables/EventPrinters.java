package io.pekkube.http.tables;

import static io.pekkube.http.tables.Cells.at;
import static io.pekkube.http.tables.Cells.integer;
import static io.pekkube.http.tables.Cells.name;
import static io.pekkube.http.tables.Cells.present;
import static io.pekkube.http.tables.Cells.row;
import static io.pekkube.http.tables.Cells.since;
import static io.pekkube.http.tables.Cells.text;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Events: LAST SEEN TYPE REASON OBJECT MESSAGE (+ SUBOBJECT SOURCE FIRST SEEN COUNT NAME), for
 * core/v1 Events and, under their field names, events.k8s.io/v1 Events.
 */
final class EventPrinters {
  private EventPrinters() {}

  static Map<String, Printer> all() {
    return Map.of("events", printer(CORE), "events.events.k8s.io", printer(EVENTS_V1));
  }

  /** Where each printed field lives in one API version of Event. */
  record Fields(String regarding, String message, String firstTimestamp, String lastTimestamp, String count,
      String source) {}

  static final Fields CORE = new Fields("involvedObject", "message", "firstTimestamp", "lastTimestamp", "count",
      "source");
  static final Fields EVENTS_V1 = new Fields("regarding", "note", "deprecatedFirstTimestamp",
      "deprecatedLastTimestamp", "deprecatedCount", "deprecatedSource");

  static Printer printer(Fields f) {
    return Printer.of((o, now) -> cells(o, f, now),
        Column.text("Last Seen", "The time at which the most recent occurrence of this event was recorded."),
        Column.text("Type", "Type of this event (Normal, Warning), new types could be added in the future"),
        Column.text("Reason", "This should be a short, machine understandable string that gives the reason for the"
            + " transition into the object's current status."),
        Column.text("Object", "The object that this event is about."),
        Column.text("Subobject", "If referring to a piece of an object instead of an entire object, this string"
            + " should contain a valid JSON/Go field access statement.").wide(),
        Column.text("Source", "The component reporting this event.").wide(),
        Column.text("Message", "A human-readable description of the status of this operation."),
        Column.text("First Seen", "The time at which the event was first recorded.").wide(),
        Column.text("Count", "The number of times this event has occurred.").wide(),
        new Column("Name", "string", "name", Column.NAME_DOC, 1));
  }

  static List<Object> cells(JsonNode e, Fields f, Instant now) {
    String first = text(e, f.firstTimestamp());
    String firstSeen = first.isEmpty() ? since(text(e, "eventTime"), now) : since(first, now);
    String last = text(e, f.lastTimestamp());
    String lastSeen = last.isEmpty() ? firstSeen : since(last, now);
    long count = integer(e, f.count());
    if (present(e, "series")) {
      lastSeen = since(text(e, "series", "lastObservedTime"), now);
      count = integer(e, "series", "count");
    } else if (count == 0) {
      count = 1;
    }
    JsonNode regarding = at(e, f.regarding());
    String kind = text(regarding, "kind").toLowerCase(Locale.ROOT);
    String target = text(regarding, "name").isEmpty() ? kind : kind + "/" + text(regarding, "name");
    return row(lastSeen, text(e, "type"), text(e, "reason"), target, text(regarding, "fieldPath"),
        source(e, f), text(e, f.message()).strip(), firstSeen, count, name(e));
  }

  /** "component, host", or the reporting controller and instance of newer events. */
  private static String source(JsonNode e, Fields f) {
    JsonNode source = at(e, f.source());
    String component = text(source, "component");
    String host = text(source, "host");
    if (component.isEmpty()) {
      component = text(e, f == CORE ? "reportingComponent" : "reportingController");
      host = text(e, "reportingInstance");
    }
    return host.isEmpty() ? component : component + ", " + host;
  }
}
