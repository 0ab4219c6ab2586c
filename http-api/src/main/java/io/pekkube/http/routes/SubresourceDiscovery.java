package io.pekkube.http.routes;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.Map;

/**
 * What discovery says about a subresource: its verbs and, where it is not the parent's kind, the
 * group, version and kind it takes and returns. Clients depend on this: kubectl's scale client
 * finds the Scale's group version here, and kubectl drain the Eviction's.
 */
public final class SubresourceDiscovery {
  private record Entry(String group, String version, String kind, List<String> verbs) {}

  private static final List<String> GET_PATCH_UPDATE = List.of("get", "patch", "update");
  private static final Map<String, Entry> ENTRIES = Map.ofEntries(
      Map.entry("status", new Entry("", "", "", GET_PATCH_UPDATE)),
      Map.entry("scale", new Entry("autoscaling", "v1", "Scale", GET_PATCH_UPDATE)),
      Map.entry("binding", new Entry("", "", "Binding", List.of("create"))),
      Map.entry("eviction", new Entry("policy", "v1", "Eviction", List.of("create"))),
      Map.entry("log", new Entry("", "", "", List.of("get"))),
      Map.entry("exec", new Entry("", "", "PodExecOptions", List.of("create", "get"))),
      Map.entry("attach", new Entry("", "", "PodAttachOptions", List.of("create", "get"))),
      Map.entry("portforward", new Entry("", "", "PodPortForwardOptions", List.of("create", "get"))),
      Map.entry("ephemeralcontainers", new Entry("", "", "", GET_PATCH_UPDATE)),
      Map.entry("finalize", new Entry("", "", "", List.of("update"))),
      Map.entry("token", new Entry("authentication.k8s.io", "v1", "TokenRequest", List.of("create"))));

  private SubresourceDiscovery() {}

  /** Fills kind (and group and version when they differ from the parent's) and verbs of one entry. */
  public static void describe(ObjectNode resource, String parentKind, String subresource) {
    Entry e = ENTRIES.get(subresource);
    if (e == null) {
      // proxy subresources: the parent's kind with its options type is not modelled; plain verbs.
      resource.put("kind", parentKind);
      resource.putArray("verbs").add("get");
      return;
    }
    if (!e.group().isEmpty()) {
      resource.put("group", e.group());
      resource.put("version", e.version());
    }
    resource.put("kind", e.kind().isEmpty() ? parentKind : e.kind());
    e.verbs().forEach(resource.putArray("verbs")::add);
  }
}
