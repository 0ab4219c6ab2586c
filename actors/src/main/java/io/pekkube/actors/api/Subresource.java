package io.pekkube.actors.api;

import java.util.List;

/**
 * What discovery says about one subresource of a type: the kind its requests and responses carry
 * and the verbs it serves.
 *
 * <p>Source: the Kubernetes discovery fixtures ({@code api/discovery/api__v1.json},
 * {@code aggregated_v2.json}): status answers the object's own kind; scale answers
 * {@code autoscaling/v1 Scale}; eviction takes a {@code policy/v1 Eviction}; token takes an
 * {@code authentication.k8s.io/v1 TokenRequest}; the streaming subresources name their options
 * kinds.
 *
 * @param name    e.g. "status", "scale"
 * @param group   the group of the response kind ("" for core)
 * @param version the version of the response kind
 * @param kind    the response kind
 * @param verbs   the verbs served, sorted as Kubernetes lists them
 */
public record Subresource(String name, String group, String version, String kind, List<String> verbs) {

  private static final List<String> READ_WRITE = List.of("get", "patch", "update");
  private static final List<String> CONNECT = List.of("create", "get");
  private static final List<String> PROXY = List.of("create", "delete", "get", "patch", "update");

  public Subresource {
    verbs = List.copyOf(verbs);
  }

  /** The subresource {@code name} of {@code type}, as Kubernetes describes it in discovery. */
  public static Subresource of(ResourceType type, String name) {
    return switch (name) {
      case "status", "ephemeralcontainers", "resize" -> own(type, name, READ_WRITE);
      case "scale" -> new Subresource(name, "autoscaling", "v1", "Scale", READ_WRITE);
      case "log" -> own(type, name, List.of("get"));
      case "finalize" -> own(type, name, List.of("update"));
      case "exec" -> core(name, "PodExecOptions", CONNECT);
      case "attach" -> core(name, "PodAttachOptions", CONNECT);
      case "portforward" -> core(name, "PodPortForwardOptions", CONNECT);
      case "proxy" -> core(name, type.kind() + "ProxyOptions", PROXY);
      case "binding" -> core(name, "Binding", List.of("create"));
      case "eviction" -> new Subresource(name, "policy", "v1", "Eviction", List.of("create"));
      case "token" -> new Subresource(name, "authentication.k8s.io", "v1", "TokenRequest", List.of("create"));
      default -> own(type, name, List.of("get"));
    };
  }

  /** Every subresource of {@code type}, sorted by name (the order of Kubernetes' lists). */
  public static List<Subresource> of(ResourceType type) {
    return type.subresources().stream().sorted().map(s -> of(type, s)).toList();
  }

  /** True when the response kind is in another group version than {@code type}'s. */
  public boolean foreignTo(ResourceType type) {
    return !group.equals(type.group()) || !version.equals(type.version());
  }

  private static Subresource own(ResourceType type, String name, List<String> verbs) {
    return new Subresource(name, type.group(), type.version(), type.kind(), verbs);
  }

  private static Subresource core(String name, String kind, List<String> verbs) {
    return new Subresource(name, "", "v1", kind, verbs);
  }
}
