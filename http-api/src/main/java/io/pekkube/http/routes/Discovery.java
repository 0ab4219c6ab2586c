package io.pekkube.http.routes;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.pekkube.actors.api.Json;
import io.pekkube.actors.api.ResourceType;
import io.pekkube.actors.api.Subresource;
import io.pekkube.actors.api.TypeRegistry;
import io.pekkube.http.negotiation.MediaRange;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * The discovery documents kubectl and the client libraries read, in both forms Kubernetes serves:
 *
 * <ul>
 *   <li>legacy: {@code /api} (APIVersions), {@code /apis} (APIGroupList), {@code /apis/{group}}
 *       and one APIResourceList per group version;
 *   <li>aggregated ({@code apidiscovery.k8s.io} v2 and v2beta1): {@code /api} and {@code /apis}
 *       answer one APIGroupDiscoveryList with every resource of every version when the client
 *       asks for it in {@code Accept}; kubectl 1.26+ asks first and walks the legacy documents
 *       only when the answer is not aggregated.
 * </ul>
 *
 * <p>Both forms are built from the same {@link ResourceType}s and {@link Subresource}s.
 */
public final class Discovery {
  public static final String AGGREGATED_GROUP = "apidiscovery.k8s.io";
  public static final String AGGREGATED_KIND = "APIGroupDiscoveryList";
  /** Versions of the aggregated form served, newest first. */
  public static final List<String> AGGREGATED_VERSIONS = List.of("v2", "v2beta1");

  private final TypeRegistry types;
  private final String serverAddress;

  public Discovery(TypeRegistry types, String serverAddress) {
    this.types = types;
    this.serverAddress = serverAddress;
  }

  /**
   * The aggregated version the client prefers ("v2" or "v2beta1"), or empty when its first
   * alternative we can serve is plain JSON (or it sent no Accept at all).
   */
  public static Optional<String> aggregatedVersion(String accept) {
    for (MediaRange range : MediaRange.parseAll(accept)) {
      if (!range.acceptsJson()) {
        continue; // protobuf and others: not served here
      }
      if (!range.asksConversion()) {
        return Optional.empty();
      }
      if (range.param("as").equals(AGGREGATED_KIND) && range.param("g").equals(AGGREGATED_GROUP)
          && AGGREGATED_VERSIONS.contains(range.param("v"))) {
        return Optional.of(range.param("v"));
      }
    }
    return Optional.empty();
  }

  // ---- legacy ----

  public ObjectNode apiVersions() {
    ObjectNode o = Json.object();
    o.put("kind", "APIVersions");
    ArrayNode versions = o.putArray("versions");
    types.coreVersions().forEach(versions::add);
    ObjectNode addr = o.putArray("serverAddressByClientCIDRs").addObject();
    addr.put("clientCIDR", "0.0.0.0/0");
    addr.put("serverAddress", serverAddress);
    return o;
  }

  public ObjectNode groupList() {
    ObjectNode o = Json.object();
    o.put("kind", "APIGroupList");
    o.put("apiVersion", "v1");
    ArrayNode groups = o.putArray("groups");
    for (TypeRegistry.ApiGroup g : types.groups()) {
      groups.add(group(g, false));
    }
    return o;
  }

  public Optional<ObjectNode> group(String name) {
    return types.group(name).map(g -> group(g, true));
  }

  private ObjectNode group(TypeRegistry.ApiGroup g, boolean standalone) {
    ObjectNode o = Json.object();
    if (standalone) {
      o.put("kind", "APIGroup");
      o.put("apiVersion", "v1");
    }
    o.put("name", g.name());
    ArrayNode versions = o.putArray("versions");
    for (String v : g.versions()) {
      ObjectNode gv = versions.addObject();
      gv.put("groupVersion", g.name() + "/" + v);
      gv.put("version", v);
    }
    ObjectNode preferred = o.putObject("preferredVersion");
    preferred.put("groupVersion", g.name() + "/" + g.preferredVersion());
    preferred.put("version", g.preferredVersion());
    return o;
  }

  /** The APIResourceList of one group version, or empty when it is not served. */
  public Optional<ObjectNode> resourceList(String group, String version) {
    if (!types.serves(group, version)) {
      return Optional.empty();
    }
    ObjectNode o = Json.object();
    o.put("kind", "APIResourceList");
    o.put("apiVersion", "v1");
    o.put("groupVersion", group.isEmpty() ? version : group + "/" + version);
    ArrayNode resources = o.putArray("resources");
    for (ResourceType t : sortedByPlural(types.types(group, version))) {
      ObjectNode r = resources.addObject();
      r.put("name", t.plural());
      r.put("singularName", t.singular());
      r.put("namespaced", t.namespaced());
      r.put("kind", t.kind());
      strings(r.putArray("verbs"), t.verbs());
      if (!t.shortNames().isEmpty()) {
        strings(r.putArray("shortNames"), t.shortNames());
      }
      if (!t.categories().isEmpty()) {
        strings(r.putArray("categories"), t.categories());
      }
      for (Subresource sub : Subresource.of(t)) {
        ObjectNode s = resources.addObject();
        s.put("name", t.plural() + "/" + sub.name());
        s.put("singularName", "");
        s.put("namespaced", t.namespaced());
        // Group and version appear only when the subresource's kind lives elsewhere (Scale).
        if (sub.foreignTo(t)) {
          s.put("group", sub.group());
          s.put("version", sub.version());
        }
        s.put("kind", sub.kind());
        strings(s.putArray("verbs"), sub.verbs());
      }
    }
    return Optional.of(o);
  }

  // ---- aggregated ----

  /** {@code /api} in the aggregated form: the core group alone. */
  public ObjectNode aggregatedCore(String version) {
    ObjectNode list = aggregatedList(version);
    List<String> versions = types.coreVersions();
    if (!versions.isEmpty()) {
      list.withArray("items").add(aggregatedGroup(new TypeRegistry.ApiGroup("", versions, versions.get(0))));
    }
    return list;
  }

  /** {@code /apis} in the aggregated form: every named group, in {@code /apis} order. */
  public ObjectNode aggregatedGroups(String version) {
    ObjectNode list = aggregatedList(version);
    types.groups().forEach(g -> list.withArray("items").add(aggregatedGroup(g)));
    return list;
  }

  private static ObjectNode aggregatedList(String version) {
    ObjectNode o = Json.object();
    o.put("kind", AGGREGATED_KIND);
    o.put("apiVersion", AGGREGATED_GROUP + "/" + version);
    o.putObject("metadata");
    o.putArray("items");
    return o;
  }

  private ObjectNode aggregatedGroup(TypeRegistry.ApiGroup g) {
    ObjectNode o = Json.object();
    ObjectNode meta = o.putObject("metadata");
    if (!g.name().isEmpty()) {
      meta.put("name", g.name());
    }
    meta.putNull("creationTimestamp");
    ArrayNode versions = o.putArray("versions");
    for (String v : g.versions()) {
      ObjectNode gv = versions.addObject();
      gv.put("version", v);
      ArrayNode resources = gv.putArray("resources");
      for (ResourceType t : sortedByPlural(types.types(g.name(), v))) {
        resources.add(aggregatedResource(t));
      }
      gv.put("freshness", "Current");
    }
    return o;
  }

  private static ObjectNode aggregatedResource(ResourceType t) {
    ObjectNode r = Json.object();
    r.put("resource", t.plural());
    kind(r.putObject("responseKind"), t.group(), t.version(), t.kind());
    r.put("scope", t.namespaced() ? "Namespaced" : "Cluster");
    r.put("singularResource", t.singular());
    strings(r.putArray("verbs"), t.verbs());
    if (!t.shortNames().isEmpty()) {
      strings(r.putArray("shortNames"), t.shortNames());
    }
    if (!t.categories().isEmpty()) {
      strings(r.putArray("categories"), t.categories());
    }
    List<Subresource> subs = Subresource.of(t);
    if (!subs.isEmpty()) {
      ArrayNode array = r.putArray("subresources");
      for (Subresource sub : subs) {
        ObjectNode s = array.addObject();
        s.put("subresource", sub.name());
        kind(s.putObject("responseKind"), sub.group(), sub.version(), sub.kind());
        strings(s.putArray("verbs"), sub.verbs());
      }
    }
    return r;
  }

  private static void kind(ObjectNode o, String group, String version, String kind) {
    o.put("group", group);
    o.put("version", version);
    o.put("kind", kind);
  }

  private static List<ResourceType> sortedByPlural(List<ResourceType> list) {
    return list.stream().sorted(Comparator.comparing(ResourceType::plural)).toList();
  }

  private static void strings(ArrayNode array, List<String> values) {
    values.forEach(array::add);
  }
}
