package io.pekkube.actors.api.selection;

import com.fasterxml.jackson.databind.JsonNode;
import io.pekkube.actors.api.validation.FieldError;
import io.pekkube.actors.api.validation.Names;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A Kubernetes label selector: an AND of requirements on an object's labels. Built either from
 * the string form of {@code ?labelSelector=} ({@link #parse}) or from the structured
 * {@code metav1.LabelSelector} of a spec ({@link #fromJson}); behaves like apimachinery's
 * {@code labels.Selector}. Immutable.
 */
public final class LabelSelector {

  /** Operators of a requirement; {@link #symbol()} is Kubernetes' {@code selection.Operator}. */
  public enum Operator {
    IN("in"),
    NOT_IN("notin"),
    EQUALS("="),
    DOUBLE_EQUALS("=="),
    NOT_EQUALS("!="),
    EXISTS("exists"),
    DOES_NOT_EXIST("!"),
    GREATER_THAN("gt"),
    LESS_THAN("lt");

    private final String symbol;

    Operator(String symbol) {
      this.symbol = symbol;
    }

    public String symbol() {
      return symbol;
    }
  }

  /**
   * One requirement: {@code key op values}. Use {@link #of} to build a validated one.
   *
   * @param values the values, sorted and without duplicates when built by {@link #parse}
   */
  public record Requirement(String key, Operator operator, List<String> values) {

    public Requirement {
      values = List.copyOf(values);
    }

    /**
     * {@code labels.NewRequirement}: validates key, value count and values for the operator.
     *
     * @throws SelectorParseException with the aggregated field errors Kubernetes reports
     */
    public static Requirement of(String key, Operator operator, Collection<String> values) {
      List<String> vals = List.copyOf(values);
      List<FieldError> errs = new ArrayList<>();
      List<String> keyErrors = Names.isQualifiedName(key);
      if (!keyErrors.isEmpty()) {
        errs.add(FieldError.invalid("key", key, String.join("; ", keyErrors)));
      }
      switch (operator) {
        case IN, NOT_IN -> {
          if (vals.isEmpty()) {
            errs.add(FieldError.invalid("values", vals,
                "for 'in', 'notin' operators, values set can't be empty"));
          }
        }
        case EQUALS, DOUBLE_EQUALS, NOT_EQUALS -> {
          if (vals.size() != 1) {
            errs.add(FieldError.invalid("values", vals,
                "exact-match compatibility requires one single value"));
          }
        }
        case EXISTS, DOES_NOT_EXIST -> {
          if (!vals.isEmpty()) {
            errs.add(FieldError.invalid("values", vals,
                "values set must be empty for exists and does not exist"));
          }
        }
        case GREATER_THAN, LESS_THAN -> {
          if (vals.size() != 1) {
            errs.add(FieldError.invalid("values", vals,
                "for 'Gt', 'Lt' operators, exactly one value is required"));
          }
          for (int i = 0; i < vals.size(); i++) {
            if (parseLong(vals.get(i)).isEmpty()) {
              errs.add(FieldError.invalid("values[" + i + "]", vals.get(i),
                  "for 'Gt', 'Lt' operators, the value must be an integer"));
            }
          }
        }
      }
      for (int i = 0; i < vals.size(); i++) {
        List<String> msgs = Names.isValidLabelValue(vals.get(i));
        if (!msgs.isEmpty()) {
          errs.add(FieldError.invalid("values[" + i + "][" + key + "]", vals.get(i),
              String.join("; ", msgs)));
        }
      }
      if (!errs.isEmpty()) {
        throw new SelectorParseException(FieldError.aggregate(errs));
      }
      return new Requirement(key, operator, vals);
    }

    public boolean matches(Map<String, String> labels) {
      return switch (operator) {
        case IN, EQUALS, DOUBLE_EQUALS ->
            labels.containsKey(key) && values.contains(labels.get(key));
        case NOT_IN, NOT_EQUALS ->
            !labels.containsKey(key) || !values.contains(labels.get(key));
        case EXISTS -> labels.containsKey(key);
        case DOES_NOT_EXIST -> !labels.containsKey(key);
        case GREATER_THAN, LESS_THAN -> {
          if (!labels.containsKey(key) || values.size() != 1) {
            yield false;
          }
          Optional<Long> actual = parseLong(labels.get(key));
          Optional<Long> bound = parseLong(values.get(0));
          if (actual.isEmpty() || bound.isEmpty()) {
            yield false;
          }
          yield operator == Operator.GREATER_THAN
              ? actual.get() > bound.get()
              : actual.get() < bound.get();
        }
      };
    }

    /** Kubernetes' rendering: {@code a=b}, {@code a in (x,y)}, {@code !a}, values sorted. */
    @Override
    public String toString() {
      StringBuilder b = new StringBuilder();
      if (operator == Operator.DOES_NOT_EXIST) {
        b.append('!');
      }
      b.append(key);
      switch (operator) {
        case EQUALS -> b.append('=');
        case DOUBLE_EQUALS -> b.append("==");
        case NOT_EQUALS -> b.append("!=");
        case IN -> b.append(" in ");
        case NOT_IN -> b.append(" notin ");
        case GREATER_THAN -> b.append('>');
        case LESS_THAN -> b.append('<');
        case EXISTS, DOES_NOT_EXIST -> {
          return b.toString();
        }
      }
      boolean set = operator == Operator.IN || operator == Operator.NOT_IN;
      if (set) {
        b.append('(');
      }
      b.append(String.join(",", values.stream().sorted().toList()));
      if (set) {
        b.append(')');
      }
      return b.toString();
    }
  }

  private static final LabelSelector EVERYTHING = new LabelSelector(List.of(), true);
  private static final LabelSelector NOTHING = new LabelSelector(List.of(), false);

  private final List<Requirement> requirements;
  private final boolean selectable;

  private LabelSelector(List<Requirement> requirements, boolean selectable) {
    this.requirements = requirements;
    this.selectable = selectable;
  }

  /** Matches every object, including those without labels. */
  public static LabelSelector everything() {
    return EVERYTHING;
  }

  /** Matches no object: what a null structured selector means. */
  public static LabelSelector nothing() {
    return NOTHING;
  }

  /** A selector of the given requirements, ordered by key as Kubernetes orders them. */
  public static LabelSelector of(List<Requirement> requirements) {
    List<Requirement> sorted = new ArrayList<>(requirements);
    sorted.sort(Comparator.comparing(Requirement::key));
    return sorted.isEmpty() ? EVERYTHING : new LabelSelector(List.copyOf(sorted), true);
  }

  /**
   * Parses the string form, e.g. {@code env in (prod,qa),tier!=db,!legacy}; "" selects
   * everything.
   *
   * @throws SelectorParseException with Kubernetes' message, e.g.
   *     {@code unable to parse requirement: found '', expected: in, notin, =, ==, !=, gt, lt}
   */
  public static LabelSelector parse(String selector) {
    return of(new LabelSelectorParser(selector).parse());
  }

  /**
   * Converts a structured {@code metav1.LabelSelector} ({@code matchLabels},
   * {@code matchExpressions} with In, NotIn, Exists, DoesNotExist) as
   * {@code LabelSelectorAsSelector} does: null or absent selects nothing, {@code {}} everything.
   *
   * @throws SelectorParseException for an unknown operator or invalid keys and values
   */
  public static LabelSelector fromJson(JsonNode labelSelector) {
    if (labelSelector == null || labelSelector.isNull() || labelSelector.isMissingNode()) {
      return NOTHING;
    }
    if (!labelSelector.isObject()) {
      throw new SelectorParseException("label selector must be an object");
    }
    List<Requirement> requirements = new ArrayList<>();
    JsonNode matchLabels = labelSelector.path("matchLabels");
    if (!matchLabels.isMissingNode() && !matchLabels.isNull()) {
      if (!matchLabels.isObject()) {
        throw new SelectorParseException("matchLabels must be an object of strings");
      }
      for (Iterator<Map.Entry<String, JsonNode>> it = matchLabels.fields(); it.hasNext(); ) {
        Map.Entry<String, JsonNode> e = it.next();
        if (!e.getValue().isTextual()) {
          throw new SelectorParseException("matchLabels must be an object of strings");
        }
        requirements.add(
            Requirement.of(e.getKey(), Operator.EQUALS, List.of(e.getValue().textValue())));
      }
    }
    JsonNode matchExpressions = labelSelector.path("matchExpressions");
    if (!matchExpressions.isMissingNode() && !matchExpressions.isNull()) {
      if (!matchExpressions.isArray()) {
        throw new SelectorParseException("matchExpressions must be a list");
      }
      for (JsonNode expr : matchExpressions) {
        requirements.add(expression(expr));
      }
    }
    return of(requirements);
  }

  private static Requirement expression(JsonNode expr) {
    String key = expr.path("key").asText("");
    String operator = expr.path("operator").asText("");
    Operator op = switch (operator) {
      case "In" -> Operator.IN;
      case "NotIn" -> Operator.NOT_IN;
      case "Exists" -> Operator.EXISTS;
      case "DoesNotExist" -> Operator.DOES_NOT_EXIST;
      default -> throw new SelectorParseException(
          "\"" + operator + "\" is not a valid label selector operator");
    };
    List<String> values = new ArrayList<>();
    JsonNode vals = expr.path("values");
    if (vals.isArray()) {
      for (JsonNode v : vals) {
        values.add(v.asText());
      }
    } else if (!vals.isMissingNode() && !vals.isNull()) {
      throw new SelectorParseException("matchExpressions values must be a list of strings");
    }
    return Requirement.of(key, op, values);
  }

  public boolean matches(Map<String, String> labels) {
    if (!selectable) {
      return false;
    }
    for (Requirement r : requirements) {
      if (!r.matches(labels)) {
        return false;
      }
    }
    return true;
  }

  /** Matches the labels in {@code metadata.labels} of a full API object. */
  public boolean matches(JsonNode object) {
    if (!selectable) {
      return false;
    }
    if (requirements.isEmpty()) {
      return true;
    }
    return matches(labelsOf(object));
  }

  /** True when the selector does not restrict anything ({@link #everything()}). */
  public boolean isEmpty() {
    return selectable && requirements.isEmpty();
  }

  /** False only for {@link #nothing()}. */
  public boolean isSelectable() {
    return selectable;
  }

  public List<Requirement> requirements() {
    return requirements;
  }

  /**
   * The single value a label must have for anything to match ({@code key=v}, {@code key==v} or
   * {@code key in (v)}), which lets a caller use an index instead of scanning.
   */
  public Optional<String> requiresExactMatch(String label) {
    for (Requirement r : requirements) {
      if (r.key().equals(label)) {
        boolean exact = r.operator() == Operator.EQUALS || r.operator() == Operator.DOUBLE_EQUALS
            || r.operator() == Operator.IN;
        return exact && r.values().size() == 1 ? Optional.of(r.values().get(0)) : Optional.empty();
      }
    }
    return Optional.empty();
  }

  /** The canonical string form, as Kubernetes renders it; "" for everything and nothing. */
  @Override
  public String toString() {
    return String.join(",", requirements.stream().map(Requirement::toString).toList());
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof LabelSelector other
        && selectable == other.selectable
        && requirements.equals(other.requirements);
  }

  @Override
  public int hashCode() {
    return requirements.hashCode() * 31 + Boolean.hashCode(selectable);
  }

  static Map<String, String> labelsOf(JsonNode object) {
    JsonNode labels = object == null ? null : object.path("metadata").path("labels");
    Map<String, String> result = new HashMap<>();
    if (labels != null && labels.isObject()) {
      for (Iterator<Map.Entry<String, JsonNode>> it = labels.fields(); it.hasNext(); ) {
        Map.Entry<String, JsonNode> e = it.next();
        if (e.getValue().isValueNode() && !e.getValue().isNull()) {
          result.put(e.getKey(), e.getValue().asText());
        }
      }
    }
    return result;
  }

  // strconv.ParseInt(s, 10, 64): optional sign, decimal digits only.
  private static Optional<Long> parseLong(String s) {
    if (s == null || !s.matches("[+-]?[0-9]+")) {
      return Optional.empty();
    }
    try {
      return Optional.of(Long.parseLong(s));
    } catch (NumberFormatException e) {
      return Optional.empty();
    }
  }
}
