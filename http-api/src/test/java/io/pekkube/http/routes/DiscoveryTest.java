package io.pekkube.http.routes;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.pekkube.actors.api.TypeRegistry;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The discovery documents, legacy and aggregated, of the built-in types. */
class DiscoveryTest {
  private final Discovery discovery = new Discovery(TypeRegistry.builtin(), "127.0.0.1:6443");

  @Test
  void kubectlsAcceptHeadersSelectTheAggregatedVersion() {
    String v2 = "application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList,"
        + "application/json;g=apidiscovery.k8s.io;v=v2beta1;as=APIGroupDiscoveryList,application/json";
    assertEquals(Optional.of("v2"), Discovery.aggregatedVersion(v2));
    assertEquals(Optional.of("v2beta1"), Discovery.aggregatedVersion(
        "application/json;g=apidiscovery.k8s.io;v=v2beta1;as=APIGroupDiscoveryList,application/json"));
    // Protobuf first (kubectl 1.33): skipped, the JSON alternative is served.
    assertEquals(Optional.of("v2"), Discovery.aggregatedVersion(
        "application/vnd.kubernetes.protobuf;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList," + v2));
    assertEquals(Optional.empty(), Discovery.aggregatedVersion("application/json"));
    assertEquals(Optional.empty(), Discovery.aggregatedVersion(""));
    assertEquals(Optional.empty(), Discovery.aggregatedVersion(
        "application/json;g=apidiscovery.k8s.io;v=v3;as=APIGroupDiscoveryList"));
  }

  @Test
  void aggregatedCoreGroupListsPodsWithCategoriesShortNamesAndSubresources() {
    JsonNode list = discovery.aggregatedCore("v2");
    assertEquals("APIGroupDiscoveryList", list.path("kind").asText());
    assertEquals("apidiscovery.k8s.io/v2", list.path("apiVersion").asText());
    assertEquals(1, list.path("items").size());
    JsonNode v1 = list.path("items").path(0).path("versions").path(0);
    assertEquals("v1", v1.path("version").asText());
    assertEquals("Current", v1.path("freshness").asText());
    JsonNode pods = resource(v1, "pods");
    assertEquals("Namespaced", pods.path("scope").asText());
    assertEquals("pod", pods.path("singularResource").asText());
    assertEquals("Pod", pods.path("responseKind").path("kind").asText());
    assertEquals("", pods.path("responseKind").path("group").asText("missing"));
    assertEquals(List.of("po"), texts(pods.path("shortNames")));
    assertEquals(List.of("all"), texts(pods.path("categories")));
    JsonNode eviction = subresource(pods, "eviction");
    assertEquals("policy", eviction.path("responseKind").path("group").asText());
    assertEquals("Eviction", eviction.path("responseKind").path("kind").asText());
    assertEquals(List.of("create"), texts(eviction.path("verbs")));
    assertEquals(List.of("create", "get"), texts(subresource(pods, "exec").path("verbs")));
    assertEquals(List.of("get"), texts(subresource(pods, "log").path("verbs")));
    assertEquals("Cluster", resource(v1, "nodes").path("scope").asText());
    assertEquals("Scale", subresource(resource(v1, "replicationcontrollers"), "scale").path("responseKind")
        .path("kind").asText());
  }

  @Test
  void aggregatedGroupsHoldEveryNamedGroupWithScaleSubresources() {
    JsonNode list = discovery.aggregatedGroups("v2beta1");
    assertEquals("apidiscovery.k8s.io/v2beta1", list.path("apiVersion").asText());
    List<String> names = new ArrayList<>();
    list.path("items").forEach(i -> names.add(i.path("metadata").path("name").asText()));
    assertEquals("apps", names.get(0));
    assertTrue(names.containsAll(List.of("batch", "autoscaling", "rbac.authorization.k8s.io")), names.toString());
    JsonNode apps = list.path("items").path(0).path("versions").path(0);
    JsonNode scale = subresource(resource(apps, "deployments"), "scale");
    assertEquals("autoscaling", scale.path("responseKind").path("group").asText());
    assertEquals("v1", scale.path("responseKind").path("version").asText());
    assertEquals(List.of("get", "patch", "update"), texts(scale.path("verbs")));
    assertEquals(List.of("all"), texts(resource(apps, "statefulsets").path("categories")));
    assertTrue(resource(apps, "controllerrevisions").path("categories").isMissingNode());
  }

  @Test
  void legacyResourceListHasSubresourceEntriesWithTheirKindsAndVerbs() {
    JsonNode list = discovery.resourceList("", "v1").orElseThrow();
    JsonNode binding = entry(list, "pods/binding");
    assertEquals("Binding", binding.path("kind").asText());
    assertEquals(List.of("create"), texts(binding.path("verbs")));
    JsonNode eviction = entry(list, "pods/eviction");
    assertEquals("policy", eviction.path("group").asText());
    assertEquals("v1", eviction.path("version").asText());
    assertEquals(List.of("get", "patch", "update"), texts(entry(list, "pods/status").path("verbs")));
    assertFalse(entry(list, "pods/status").has("group"));
    assertEquals(List.of("update"), texts(entry(list, "namespaces/finalize").path("verbs")));
    assertEquals("TokenRequest", entry(list, "serviceaccounts/token").path("kind").asText());
    JsonNode pods = entry(list, "pods");
    assertEquals(List.of("all"), texts(pods.path("categories")));
    assertEquals("pod", pods.path("singularName").asText());
    JsonNode scale = entry(discovery.resourceList("apps", "v1").orElseThrow(), "replicasets/scale");
    assertEquals("autoscaling", scale.path("group").asText());
    assertEquals("Scale", scale.path("kind").asText());
  }

  private static JsonNode resource(JsonNode version, String plural) {
    for (JsonNode r : version.path("resources")) {
      if (r.path("resource").asText().equals(plural)) {
        return r;
      }
    }
    throw new AssertionError("no resource " + plural + " in " + version);
  }

  private static JsonNode subresource(JsonNode resource, String name) {
    for (JsonNode s : resource.path("subresources")) {
      if (s.path("subresource").asText().equals(name)) {
        return s;
      }
    }
    throw new AssertionError("no subresource " + name + " in " + resource);
  }

  private static JsonNode entry(JsonNode list, String name) {
    for (JsonNode r : list.path("resources")) {
      if (r.path("name").asText().equals(name)) {
        return r;
      }
    }
    throw new AssertionError("no entry " + name);
  }

  private static List<String> texts(JsonNode array) {
    List<String> out = new ArrayList<>();
    array.forEach(n -> out.add(n.asText()));
    return out;
  }
}
