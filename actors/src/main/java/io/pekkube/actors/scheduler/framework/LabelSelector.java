package io.pekkube.actors.scheduler.framework;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A {@code metav1.LabelSelector} parsed once: {@code matchLabels} and {@code matchExpressions} (In, NotIn,
 * Exists, DoesNotExist), all of which must hold. As Kubernetes' {@code LabelSelectorAsSelector}, an
 * absent selector matches nothing ({@link #NOTHING}) and an empty one ({@code {}}) matches everything.
 */
public record LabelSelector(Map<String, String> matchLabels, List<NodeSelector.Requirement> expressions,
    boolean nothing) {

  public static final LabelSelector NOTHING = new LabelSelector(Map.of(), List.of(), true);
  public static final LabelSelector EVERYTHING = new LabelSelector(Map.of(), List.of(), false);

  /** A selector that holds exactly these labels ({@code labels.Set.AsSelector}). */
  public static LabelSelector ofLabels(Map<String, String> labels) {
    return new LabelSelector(Map.copyOf(labels), List.of(), false);
  }

  /** {@code null} or a missing node is {@link #NOTHING}. */
  public static LabelSelector of(JsonNode selector) {
    if (selector == null || !selector.isObject()) {
      return NOTHING;
    }
    return new LabelSelector(PodInfo.stringMap(selector.path("matchLabels")),
        NodeSelector.requirements(selector.path("matchExpressions")), false);
  }

  /** This selector and one more requirement (matchLabelKeys, mismatchLabelKeys). */
  public LabelSelector and(String key, String operator, String value) {
    if (nothing) {
      return this;
    }
    List<NodeSelector.Requirement> more = new ArrayList<>(expressions);
    more.add(new NodeSelector.Requirement(key, operator, List.of(value)));
    return new LabelSelector(matchLabels, List.copyOf(more), false);
  }

  /** Selects every set of labels ({@code Selector.Empty()}). */
  public boolean isEmpty() {
    return !nothing && matchLabels.isEmpty() && expressions.isEmpty();
  }

  public boolean matches(Map<String, String> labels) {
    if (nothing) {
      return false;
    }
    for (Map.Entry<String, String> e : matchLabels.entrySet()) {
      if (!e.getValue().equals(labels.get(e.getKey()))) {
        return false;
      }
    }
    for (NodeSelector.Requirement r : expressions) {
      if (!r.labelMatches(labels.get(r.key()))) {
        return false;
      }
    }
    return true;
  }

  /**
   * A label every matching pod carries ({@code [key, value]}), so that candidates can be looked up in a
   * label index instead of scanning every pod; null when the selector pins no value.
   */
  public String[] requiredLabel() {
    if (nothing) {
      return null;
    }
    for (Map.Entry<String, String> e : matchLabels.entrySet()) {
      return new String[] {e.getKey(), e.getValue()};
    }
    for (NodeSelector.Requirement r : expressions) {
      if ("In".equals(r.operator()) && r.values().size() == 1) {
        return new String[] {r.key(), r.values().get(0)};
      }
    }
    return null;
  }
}
