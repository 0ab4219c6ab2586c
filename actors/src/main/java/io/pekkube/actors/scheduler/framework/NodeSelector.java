package io.pekkube.actors.scheduler.framework;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A {@code nodeSelectorTerm} parsed once per pod: label expressions and field expressions
 * ({@code metadata.name}), all of which must hold. A term without any requirement matches nothing,
 * as in Kubernetes.
 */
public record NodeSelector(List<Requirement> labels, List<Requirement> fields) {

  public record Requirement(String key, String operator, List<String> values) {
    boolean matches(String actual) {
      return switch (operator) {
        case "In" -> actual != null && values.contains(actual);
        case "NotIn" -> actual == null || !values.contains(actual);
        case "Exists" -> actual != null;
        case "DoesNotExist" -> actual == null;
        case "Gt", "Lt" -> {
          if (actual == null || values.size() != 1) {
            yield false;
          }
          try {
            long have = Long.parseLong(actual);
            long want = Long.parseLong(values.get(0));
            yield operator.equals("Gt") ? have > want : have < want;
          } catch (NumberFormatException e) {
            yield false;
          }
        }
        default -> false;
      };
    }

    /** As a label selector requirement: only In, NotIn, Exists and DoesNotExist are valid there. */
    boolean labelMatches(String actual) {
      return switch (operator) {
        case "In", "NotIn", "Exists", "DoesNotExist" -> matches(actual);
        default -> false;
      };
    }
  }

  public boolean matches(String nodeName, Map<String, String> nodeLabels) {
    if (labels.isEmpty() && fields.isEmpty()) {
      return false;
    }
    for (Requirement r : labels) {
      if (!r.matches(nodeLabels.get(r.key()))) {
        return false;
      }
    }
    for (Requirement r : fields) {
      if (!r.matches("metadata.name".equals(r.key()) ? nodeName : null)) {
        return false;
      }
    }
    return true;
  }

  /** Whether any of the terms (ORed, as nodeSelectorTerms are) matches the node. */
  public static boolean anyMatches(List<NodeSelector> terms, NodeInfo node) {
    for (NodeSelector term : terms) {
      if (term.matches(node.name(), node.labels())) {
        return true;
      }
    }
    return false;
  }

  public static NodeSelector of(JsonNode term) {
    return new NodeSelector(requirements(term.path("matchExpressions")), requirements(term.path("matchFields")));
  }

  static List<Requirement> requirements(JsonNode expressions) {
    if (!expressions.isArray() || expressions.isEmpty()) {
      return List.of();
    }
    List<Requirement> list = new ArrayList<>();
    for (JsonNode e : expressions) {
      List<String> values = new ArrayList<>();
      e.path("values").forEach(v -> values.add(v.asText()));
      list.add(new Requirement(e.path("key").asText(""), e.path("operator").asText(""), List.copyOf(values)));
    }
    return List.copyOf(list);
  }
}
