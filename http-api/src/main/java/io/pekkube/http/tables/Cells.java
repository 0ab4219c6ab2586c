package io.pekkube.http.tables;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** Readers and formatters shared by the printers, each as the Kubernetes printers format. */
final class Cells {
  static final String NONE = "<none>";
  static final String UNKNOWN = "<unknown>";

  private Cells() {}

  static JsonNode at(JsonNode node, String... path) {
    JsonNode n = node;
    for (String p : path) {
      n = n.path(p);
    }
    return n;
  }

  /** A text field, "" when absent. */
  static String text(JsonNode node, String... path) {
    JsonNode v = at(node, path);
    return v.isValueNode() && !v.isNull() ? v.asText() : "";
  }

  /** An integer field, 0 when absent (Go's zero value). */
  static long integer(JsonNode node, String... path) {
    JsonNode v = at(node, path);
    return v.isNumber() ? v.asLong() : v.isTextual() ? parseLong(v.asText()) : 0;
  }

  private static long parseLong(String s) {
    try {
      return Long.parseLong(s);
    } catch (NumberFormatException e) {
      return 0;
    }
  }

  static boolean present(JsonNode node, String... path) {
    JsonNode v = at(node, path);
    return !v.isMissingNode() && !v.isNull();
  }

  static String orNone(String s) {
    return s.isEmpty() ? NONE : s;
  }

  static String name(JsonNode object) {
    return text(object, "metadata", "name");
  }

  /** The AGE cell: time since creation, "&lt;unknown&gt;" without a creation timestamp. */
  static String age(JsonNode object, Instant now) {
    return since(text(object, "metadata", "creationTimestamp"), now);
  }

  /** Kubernetes' {@code translateTimestampSince}. */
  static String since(String timestamp, Instant now) {
    if (timestamp.isEmpty()) {
      return UNKNOWN;
    }
    try {
      return HumanDuration.format(Duration.between(Instant.parse(timestamp), now));
    } catch (DateTimeParseException e) {
      return UNKNOWN;
    }
  }

  /** {@code labels.FormatLabels}: "k=v" sorted by key, comma separated; "&lt;none&gt;" if empty. */
  static String labels(JsonNode map) {
    Map<String, String> sorted = new TreeMap<>();
    map.fields().forEachRemaining(e -> sorted.put(e.getKey(), e.getValue().asText()));
    List<String> parts = new ArrayList<>();
    sorted.forEach((k, v) -> parts.add(k + "=" + v));
    return parts.isEmpty() ? NONE : String.join(",", parts);
  }

  /**
   * {@code LabelSelectorAsSelector(s).String()}: requirements sorted by key, "k=v", "k in (a,b)",
   * "k notin (a)", "k", "!k"; "" for no selector.
   */
  static String selector(JsonNode selector) {
    Map<String, List<String>> byKey = new TreeMap<>();
    selector.path("matchLabels").fields().forEachRemaining(e ->
        byKey.computeIfAbsent(e.getKey(), k -> new ArrayList<>()).add(e.getKey() + "=" + e.getValue().asText()));
    for (JsonNode expr : selector.path("matchExpressions")) {
      String key = expr.path("key").asText("");
      List<String> values = new ArrayList<>();
      expr.path("values").forEach(v -> values.add(v.asText()));
      values.sort(null);
      String requirement = switch (expr.path("operator").asText("")) {
        case "In" -> key + " in (" + String.join(",", values) + ")";
        case "NotIn" -> key + " notin (" + String.join(",", values) + ")";
        case "Exists" -> key;
        case "DoesNotExist" -> "!" + key;
        default -> key + " " + expr.path("operator").asText("") + " (" + String.join(",", values) + ")";
      };
      byKey.computeIfAbsent(key, k -> new ArrayList<>()).add(requirement);
    }
    List<String> parts = new ArrayList<>();
    byKey.values().forEach(parts::addAll);
    return String.join(",", parts);
  }

  /** {@code metav1.FormatLabelSelector}: like {@link #selector} but "&lt;none&gt;" when empty. */
  static String formatSelector(JsonNode selector) {
    return orNone(selector(selector));
  }

  /** Container names of a pod spec, comma separated. */
  static String containers(JsonNode podSpec) {
    return join(podSpec.path("containers"), "name");
  }

  static String images(JsonNode podSpec) {
    return join(podSpec.path("containers"), "image");
  }

  static String join(JsonNode array, String field) {
    List<String> out = new ArrayList<>();
    for (JsonNode item : array) {
      out.add(item.path(field).asText(""));
    }
    return String.join(",", out);
  }

  static List<String> strings(JsonNode array) {
    List<String> out = new ArrayList<>();
    for (Iterator<JsonNode> it = array.elements(); it.hasNext(); ) {
      out.add(it.next().asText());
    }
    return out;
  }

  /** Cells in column order; a mutable list so printers can build rows step by step. */
  static List<Object> row(Object... cells) {
    return new ArrayList<>(List.of(cells));
  }

  /** The number of entries of a map or array field. */
  static long size(JsonNode node) {
    return node.isContainerNode() ? node.size() : 0;
  }
}
