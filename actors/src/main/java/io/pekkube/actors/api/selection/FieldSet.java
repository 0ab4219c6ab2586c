package io.pekkube.actors.api.selection;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * The fields a kind may be selected by ({@code ?fieldSelector=}) and how each is read from the
 * object's JSON. Mirrors, per kind, the API server's field-label conversion (which labels are
 * accepted, with which error) and the registry's {@code ToSelectableFields} (what value each
 * label has). A missing value reads as "", a missing boolean as "false", a missing count as "0",
 * because Kubernetes reads them from zero-valued Go structs.
 */
public final class FieldSet {

  private static final String NAME = "metadata.name";
  private static final String NAMESPACE = "metadata.namespace";

  private final String kind;
  private final Map<String, Function<JsonNode, String>> readers;
  private final Map<String, String> aliases;
  private final Function<String, String> rejection;

  private FieldSet(String kind, Map<String, Function<JsonNode, String>> readers,
      Map<String, String> aliases, Function<String, String> rejection) {
    this.kind = kind;
    this.readers = Collections.unmodifiableMap(readers);
    this.aliases = Map.copyOf(aliases);
    this.rejection = rejection;
  }

  /** The field set of a kind of the core group or, for "Job", of batch. */
  public static FieldSet forKind(String kind) {
    return forKind("Job".equals(kind) ? "batch" : "", kind);
  }

  /**
   * The field set of a kind in an API group ("" for core). Kinds without their own rules get
   * Kubernetes' default: {@code metadata.name} and {@code metadata.namespace} only.
   */
  public static FieldSet forKind(String group, String kind) {
    String key = group.isEmpty() ? kind : kind + "." + group;
    return switch (key) {
      case "Pod" -> pod();
      case "Node" -> node();
      case "Namespace" -> namespace();
      case "Secret" -> secret();
      case "Service" -> service();
      case "ReplicationController" -> replicationController();
      case "Event" -> event("involvedObject", "source", "reportingComponent");
      case "Event.events.k8s.io" -> event("regarding", "deprecatedSource", "reportingController");
      case "Job.batch" -> job();
      default -> metadataOnly(kind);
    };
  }

  /** The rules of every kind without its own ({@code DefaultMetaV1FieldSelectorConversion}). */
  public static FieldSet metadataOnly(String kind) {
    Map<String, Function<JsonNode, String>> r = new LinkedHashMap<>();
    r.put(NAME, text("metadata", "name"));
    r.put(NAMESPACE, text("metadata", "namespace"));
    return new FieldSet(kind, r, Map.of(), label -> "\"" + label
        + "\" is not a known field selector: only \"metadata.name\", \"metadata.namespace\"");
  }

  public String kind() {
    return kind;
  }

  /** The field labels a selector may name (legacy aliases such as {@code spec.host} aside). */
  public Set<String> fields() {
    return readers.keySet();
  }

  public boolean supports(String field) {
    return readers.containsKey(field) || aliases.containsKey(field);
  }

  /**
   * The canonical label for {@code field} (Pods still accept {@code spec.host} for
   * {@code spec.nodeName}).
   *
   * @throws SelectorParseException with the kind's Kubernetes message, e.g.
   *     {@code field label not supported: spec.foo}
   */
  public String resolve(String field) {
    if (readers.containsKey(field)) {
      return field;
    }
    String alias = aliases.get(field);
    if (alias != null) {
      return alias;
    }
    throw new SelectorParseException(rejection.apply(field));
  }

  /** The value of {@code field} in {@code object}, "" (or "false"/"0") when absent. */
  public String read(JsonNode object, String field) {
    return readers.get(resolve(field)).apply(object);
  }

  // ---- the built-in kinds ----

  private static FieldSet pod() {
    Map<String, Function<JsonNode, String>> r = metadata();
    r.put("spec.nodeName", text("spec", "nodeName"));
    r.put("spec.restartPolicy", text("spec", "restartPolicy"));
    r.put("spec.schedulerName", text("spec", "schedulerName"));
    r.put("spec.serviceAccountName", text("spec", "serviceAccountName"));
    r.put("spec.hostNetwork", bool("spec", "hostNetwork"));
    r.put("status.phase", text("status", "phase"));
    r.put("status.podIP", FieldSet::podIp);
    // Accepted by the conversion but absent from the Pod's selectable fields: always "".
    r.put("status.podIPs", object -> "");
    r.put("status.nominatedNodeName", text("status", "nominatedNodeName"));
    return new FieldSet("Pod", r, Map.of("spec.host", "spec.nodeName"),
        FieldSet::notSupported);
  }

  // The primary IP is podIPs[0]; status.podIP is its v1 mirror.
  private static String podIp(JsonNode pod) {
    JsonNode first = pod.path("status").path("podIPs").path(0).path("ip");
    if (first.isTextual()) {
      return first.textValue();
    }
    return text("status", "podIP").apply(pod);
  }

  private static FieldSet node() {
    Map<String, Function<JsonNode, String>> r = new LinkedHashMap<>();
    r.put(NAME, text("metadata", "name"));
    r.put("spec.unschedulable", bool("spec", "unschedulable"));
    return new FieldSet("Node", r, Map.of(), FieldSet::notSupported);
  }

  private static FieldSet namespace() {
    Map<String, Function<JsonNode, String>> r = new LinkedHashMap<>();
    r.put(NAME, text("metadata", "name"));
    r.put("status.phase", text("status", "phase"));
    return new FieldSet("Namespace", r, Map.of(), FieldSet::notSupported);
  }

  private static FieldSet secret() {
    Map<String, Function<JsonNode, String>> r = metadata();
    r.put("type", text("type"));
    return new FieldSet("Secret", r, Map.of(), FieldSet::notSupported);
  }

  private static FieldSet service() {
    Map<String, Function<JsonNode, String>> r = metadata();
    r.put("spec.clusterIP", text("spec", "clusterIP"));
    r.put("spec.type", text("spec", "type"));
    return new FieldSet("Service", r, Map.of(), FieldSet::notSupported);
  }

  private static FieldSet replicationController() {
    Map<String, Function<JsonNode, String>> r = metadata();
    r.put("status.replicas", integer("status", "replicas"));
    return new FieldSet("ReplicationController", r, Map.of(), FieldSet::notSupported);
  }

  // core/v1 and events.k8s.io/v1 Events share the labels; the JSON names differ.
  private static FieldSet event(String regarding, String source, String reportingComponent) {
    Map<String, Function<JsonNode, String>> r = metadata();
    for (String f : new String[] {
        "kind", "namespace", "name", "uid", "apiVersion", "resourceVersion", "fieldPath"}) {
      r.put("involvedObject." + f, text(regarding, f));
    }
    r.put("reason", text("reason"));
    r.put("reportingComponent", text(reportingComponent));
    r.put("source", text(source, "component"));
    r.put("type", text("type"));
    return new FieldSet("Event", r, Map.of(), FieldSet::notSupported);
  }

  private static FieldSet job() {
    Map<String, Function<JsonNode, String>> r = metadata();
    // The label says "successful", the value is status.succeeded.
    r.put("status.successful", integer("status", "succeeded"));
    return new FieldSet("Job", r, Map.of(),
        label -> "field label \"" + label + "\" not supported for batchv1.Job");
  }

  private static Map<String, Function<JsonNode, String>> metadata() {
    Map<String, Function<JsonNode, String>> r = new LinkedHashMap<>();
    r.put(NAME, text("metadata", "name"));
    r.put(NAMESPACE, text("metadata", "namespace"));
    return r;
  }

  private static String notSupported(String label) {
    return "field label not supported: " + label;
  }

  private static Function<JsonNode, String> text(String... path) {
    return object -> scalar(at(object, path), "");
  }

  private static Function<JsonNode, String> bool(String... path) {
    return object -> scalar(at(object, path), "false");
  }

  private static Function<JsonNode, String> integer(String... path) {
    return object -> scalar(at(object, path), "0");
  }

  private static JsonNode at(JsonNode object, String... path) {
    JsonNode node = object;
    for (String p : path) {
      if (node == null) {
        return null;
      }
      node = node.get(p);
    }
    return node;
  }

  private static String scalar(JsonNode node, String absent) {
    if (node == null || node.isNull() || node.isMissingNode() || !node.isValueNode()) {
      return absent;
    }
    return node.asText();
  }

  @Override
  public String toString() {
    return "FieldSet[" + kind + " " + readers.keySet() + "]";
  }
}
