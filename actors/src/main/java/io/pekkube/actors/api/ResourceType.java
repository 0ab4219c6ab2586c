package io.pekkube.actors.api;

import java.util.List;
import java.util.Set;

/**
 * Describes one kind of API object: how it is addressed over REST, how its names are checked and
 * which parts of it a write may change. Every built-in type and, later, every CRD is one of these;
 * the entity code is the same for all of them.
 *
 * @param group         API group, "" for the core group
 * @param version       the served (and stored) version
 * @param kind          the Kind, e.g. "ConfigMap"
 * @param plural        the resource name in URLs, e.g. "configmaps"
 * @param singular      lower-case singular name, e.g. "configmap"
 * @param namespaced    whether objects live in a namespace
 * @param shortNames    kubectl short names, e.g. "cm"
 * @param categories    e.g. "all"
 * @param verbs         verbs served for the main resource
 * @param subresources  e.g. "status", "scale"
 * @param nameRule      which Kubernetes name format the object's name must have
 * @param hasStatus     true when status is written only through the /status subresource and
 *                      ignored by main-resource updates
 * @param specFields    the top-level fields whose change bumps metadata.generation; empty means
 *                      "every top-level field except metadata and status" (the Kubernetes default)
 */
public record ResourceType(
    String group,
    String version,
    String kind,
    String plural,
    String singular,
    boolean namespaced,
    List<String> shortNames,
    List<String> categories,
    List<String> verbs,
    Set<String> subresources,
    NameRule nameRule,
    boolean hasStatus,
    Set<String> specFields) {

  /** Verbs of an ordinary read-write resource. */
  public static final List<String> ALL_VERBS =
      List.of("create", "delete", "deletecollection", "get", "list", "patch", "update", "watch");

  /** Name formats Kubernetes uses for object names. */
  public enum NameRule {
    /** RFC 1123 subdomain: lower-case alphanumerics, '-' and '.', at most 253 characters. */
    DNS1123_SUBDOMAIN,
    /** RFC 1123 label: lower-case alphanumerics and '-', at most 63 characters. */
    DNS1123_LABEL,
    /** RFC 1035 label: like a DNS-1123 label but starting with a letter (Services). */
    DNS1035_LABEL,
    /** Any name that is a valid path segment (not "." or "..", no '/' or '%'); RBAC objects. */
    PATH_SEGMENT
  }

  /** "apps/v1", or "v1" for the core group. */
  public String apiVersion() {
    return group.isEmpty() ? version : group + "/" + version;
  }

  /** "deployments.apps", or "pods" for the core group: the key of the type everywhere inside. */
  public String resourceKey() {
    return group.isEmpty() ? plural : plural + "." + group;
  }

  public boolean hasSubresource(String name) {
    return subresources.contains(name);
  }
}
