package io.pekkube.http.routes;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.pekkube.actors.api.Json;
import io.pekkube.actors.api.ResourceType;
import io.pekkube.actors.api.TypeRegistry;
import java.util.List;
import java.util.Optional;

/**
 * The legacy discovery documents kubectl and the client libraries read: {@code /api},
 * {@code /apis}, {@code /apis/{group}} and the resource lists of each group version.
 */
public final class Discovery {
  private final TypeRegistry types;
  private final String serverAddress;

  public Discovery(TypeRegistry types, String serverAddress) {
    this.types = types;
    this.serverAddress = serverAddress;
  }

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
    for (ResourceType t : types.types(group, version)) {
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
      for (String sub : t.subresources().stream().sorted().toList()) {
        ObjectNode s = resources.addObject();
        s.put("name", t.plural() + "/" + sub);
        s.put("singularName", "");
        s.put("namespaced", t.namespaced());
        SubresourceDiscovery.describe(s, t.kind(), sub);
      }
    }
    return Optional.of(o);
  }

  private static void strings(ArrayNode array, List<String> values) {
    values.forEach(array::add);
  }
}
