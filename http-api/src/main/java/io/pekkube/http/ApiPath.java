package io.pekkube.http;

import java.util.ArrayList;
import java.util.List;

/**
 * A parsed Kubernetes API path: {@code /api/v1/...} or {@code /apis/{group}/{version}/...}, with the
 * namespaced ({@code namespaces/{ns}/{resource}}), cluster-scoped and all-namespaces forms, an
 * optional object name and subresource, and the legacy {@code /watch/} prefix.
 *
 * @param group       "" for the core group
 * @param namespace   "" when the path names no namespace
 * @param resource    the plural resource name, "" for a discovery path
 * @param name        "" for a collection
 * @param subresource "" for the main resource
 * @param legacyWatch true for the deprecated {@code /watch/} path form
 */
public record ApiPath(String group, String version, String namespace, String resource, String name,
    String subresource, boolean legacyWatch) {

  /** Returns null when the path is not under /api or /apis or is malformed. */
  public static ApiPath parse(String path) {
    List<String> s = segments(path);
    if (s.isEmpty()) {
      return null;
    }
    int i;
    String group;
    String version;
    if (s.get(0).equals("api")) {
      if (s.size() < 2) {
        return null;
      }
      group = "";
      version = s.get(1);
      i = 2;
    } else if (s.get(0).equals("apis")) {
      if (s.size() < 3) {
        return null;
      }
      group = s.get(1);
      version = s.get(2);
      i = 3;
    } else {
      return null;
    }
    boolean watch = false;
    if (i < s.size() && s.get(i).equals("watch")) {
      watch = true;
      i++;
    }
    List<String> rest = s.subList(i, s.size());
    if (rest.isEmpty()) {
      return watch ? null : new ApiPath(group, version, "", "", "", "", false);
    }
    // namespaces/{ns}/{resource}[/{name}[/{sub}]] — but namespaces/{name}[/{sub}] is the Namespace itself.
    if (rest.get(0).equals("namespaces") && rest.size() >= 3 && !isNamespaceSubresource(rest)) {
      String ns = rest.get(1);
      return build(group, version, ns, rest.subList(2, rest.size()), watch);
    }
    return build(group, version, "", rest, watch);
  }

  private static boolean isNamespaceSubresource(List<String> rest) {
    return rest.size() == 3 && (rest.get(2).equals("status") || rest.get(2).equals("finalize"));
  }

  private static ApiPath build(String group, String version, String namespace, List<String> r, boolean watch) {
    if (r.isEmpty() || r.size() > 3) {
      return null;
    }
    return new ApiPath(group, version, namespace, r.get(0), r.size() > 1 ? r.get(1) : "",
        r.size() > 2 ? r.get(2) : "", watch);
  }

  private static List<String> segments(String path) {
    List<String> out = new ArrayList<>();
    for (String part : path.split("/")) {
      if (!part.isEmpty()) {
        out.add(part);
      }
    }
    return out;
  }

  public boolean isDiscovery() {
    return resource.isEmpty();
  }

  public boolean isCollection() {
    return name.isEmpty();
  }
}
