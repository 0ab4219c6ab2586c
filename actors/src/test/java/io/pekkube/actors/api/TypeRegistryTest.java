package io.pekkube.actors.api;

import static io.pekkube.actors.api.ResourceType.ALL_VERBS;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pekkube.actors.api.ResourceType.NameRule;
import io.pekkube.actors.api.TypeRegistry.ApiGroup;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class TypeRegistryTest {

  private final TypeRegistry reg = TypeRegistry.builtin();

  /** apiVersion, kind, plural, namespaced, short names, categories, name rule, subresources. */
  static Stream<Arguments> expected() {
    List<String> all = List.of("all");
    List<String> none = List.of();
    NameRule sub = NameRule.DNS1123_SUBDOMAIN;
    NameRule seg = NameRule.PATH_SEGMENT;
    return Stream.of(
        Arguments.of("v1", "Namespace", "namespaces", false, List.of("ns"), none,
            NameRule.DNS1123_LABEL, Set.of("status", "finalize")),
        Arguments.of("v1", "ConfigMap", "configmaps", true, List.of("cm"), none, sub, Set.of()),
        Arguments.of("v1", "Secret", "secrets", true, none, none, sub, Set.of()),
        Arguments.of("v1", "Pod", "pods", true, List.of("po"), all, sub,
            Set.of("status", "log", "binding", "eviction", "exec", "attach", "portforward",
                "proxy", "ephemeralcontainers")),
        Arguments.of("v1", "Service", "services", true, List.of("svc"), all,
            NameRule.DNS1035_LABEL, Set.of("status", "proxy")),
        Arguments.of("v1", "Endpoints", "endpoints", true, List.of("ep"), none, sub, Set.of()),
        Arguments.of("v1", "Event", "events", true, List.of("ev"), none, seg, Set.of()),
        Arguments.of("v1", "ServiceAccount", "serviceaccounts", true, List.of("sa"), none, sub,
            Set.of("token")),
        Arguments.of("v1", "Node", "nodes", false, List.of("no"), none, sub,
            Set.of("status", "proxy")),
        Arguments.of("v1", "PersistentVolume", "persistentvolumes", false, List.of("pv"), none,
            sub, Set.of("status")),
        Arguments.of("v1", "PersistentVolumeClaim", "persistentvolumeclaims", true,
            List.of("pvc"), none, sub, Set.of("status")),
        Arguments.of("v1", "LimitRange", "limitranges", true, List.of("limits"), none, sub,
            Set.of()),
        Arguments.of("v1", "ReplicationController", "replicationcontrollers", true, List.of("rc"), all, sub,
            Set.of("status", "scale")),
        Arguments.of("v1", "ResourceQuota", "resourcequotas", true, List.of("quota"), none, sub,
            Set.of("status")),
        Arguments.of("apps/v1", "Deployment", "deployments", true, List.of("deploy"), all, sub,
            Set.of("status", "scale")),
        Arguments.of("apps/v1", "ReplicaSet", "replicasets", true, List.of("rs"), all, sub,
            Set.of("status", "scale")),
        Arguments.of("apps/v1", "StatefulSet", "statefulsets", true, List.of("sts"), all,
            NameRule.DNS1123_LABEL, Set.of("status", "scale")),
        Arguments.of("apps/v1", "DaemonSet", "daemonsets", true, List.of("ds"), all, sub,
            Set.of("status")),
        Arguments.of("apps/v1", "ControllerRevision", "controllerrevisions", true, none, none,
            sub, Set.of()),
        Arguments.of("batch/v1", "Job", "jobs", true, none, all, sub, Set.of("status")),
        Arguments.of("batch/v1", "CronJob", "cronjobs", true, List.of("cj"), all, sub,
            Set.of("status")),
        Arguments.of("coordination.k8s.io/v1", "Lease", "leases", true, none, none, sub,
            Set.of()),
        Arguments.of("discovery.k8s.io/v1", "EndpointSlice", "endpointslices", true, none, none,
            sub, Set.of()),
        Arguments.of("networking.k8s.io/v1", "Ingress", "ingresses", true, List.of("ing"), none,
            sub, Set.of("status")),
        Arguments.of("networking.k8s.io/v1", "IngressClass", "ingressclasses", false, none,
            none, sub, Set.of()),
        Arguments.of("networking.k8s.io/v1", "NetworkPolicy", "networkpolicies", true,
            List.of("netpol"), none, sub, Set.of()),
        Arguments.of("storage.k8s.io/v1", "StorageClass", "storageclasses", false,
            List.of("sc"), none, sub, Set.of()),
        Arguments.of("rbac.authorization.k8s.io/v1", "Role", "roles", true, none, none, seg,
            Set.of()),
        Arguments.of("rbac.authorization.k8s.io/v1", "ClusterRole", "clusterroles", false, none,
            none, seg, Set.of()),
        Arguments.of("rbac.authorization.k8s.io/v1", "RoleBinding", "rolebindings", true, none,
            none, seg, Set.of()),
        Arguments.of("rbac.authorization.k8s.io/v1", "ClusterRoleBinding", "clusterrolebindings",
            false, none, none, seg, Set.of()),
        Arguments.of("events.k8s.io/v1", "Event", "events", true, List.of("ev"), none, sub,
            Set.of()),
        Arguments.of("autoscaling/v2", "HorizontalPodAutoscaler", "horizontalpodautoscalers",
            true, List.of("hpa"), all, sub, Set.of("status")),
        Arguments.of("policy/v1", "PodDisruptionBudget", "poddisruptionbudgets", true,
            List.of("pdb"), none, seg, Set.of("status")),
        Arguments.of("apiextensions.k8s.io/v1", "CustomResourceDefinition",
            "customresourcedefinitions", false, List.of("crd", "crds"),
            List.of("api-extensions"), sub, Set.of("status")));
  }

  @ParameterizedTest(name = "{1} {0}")
  @MethodSource("expected")
  void everyListedTypeIsPresentWithKubernetesFacts(
      String apiVersion,
      String kind,
      String plural,
      boolean namespaced,
      List<String> shortNames,
      List<String> categories,
      NameRule nameRule,
      Set<String> subresources) {
    ResourceType t = reg.byApiVersionKind(apiVersion, kind).orElseThrow();
    assertEquals(plural, t.plural());
    assertEquals(namespaced, t.namespaced(), "scope");
    assertEquals(shortNames, t.shortNames());
    assertEquals(categories, t.categories());
    assertEquals(nameRule, t.nameRule());
    assertEquals(subresources, t.subresources());
    assertEquals(subresources.contains("status"), t.hasStatus(), "hasStatus iff /status");
    assertTrue(t.specFields().isEmpty());
    assertEquals(kind.toLowerCase(), t.singular());
    assertEquals(kind.equals("Namespace") ? BuiltinTypes.NAMESPACE_VERBS : ALL_VERBS, t.verbs());
    // every other lookup form reaches the same type
    assertSame(t, reg.find(t.group(), t.version(), plural).orElseThrow());
    assertEquals(apiVersion, t.apiVersion());
    assertSame(t, reg.byGroupKind(t.group(), kind).orElseThrow());
    assertTrue(reg.types(apiVersion).contains(t));
    assertTrue(reg.serves(t.group(), t.version()));
    String key = t.group().isEmpty() ? plural : plural + "." + t.group();
    assertSame(t, reg.byResourceKey(key).orElseThrow());
    assertSame(t, reg.resolve(plural + "." + t.version() + "." + t.group()).orElse(null));
    if (!t.group().isEmpty()) {
      assertSame(t, reg.resolve(key).orElseThrow());
      assertSame(t, reg.resolve(t.singular() + "." + t.group()).orElseThrow());
      for (String s : shortNames) {
        assertSame(t, reg.resolve(s + "." + t.group()).orElseThrow());
      }
    }
  }

  @Test
  void builtinHasExactlyTheListedTypes() {
    assertEquals(expected().count() + ReviewTypes.ALL.size(), reg.all().size());
    assertEquals(BuiltinTypes.ALL_TYPES.size() + ReviewTypes.ALL.size(), reg.all().size());
    assertSame(reg, TypeRegistry.builtin());
  }

  @Test
  void namespaceIsTheOnlyTypeWithoutDeleteCollection() {
    for (ResourceType t : BuiltinTypes.ALL_TYPES) {
      assertTrue(t.verbs().contains("watch"), t.kind());
      assertEquals(!t.kind().equals("Namespace"), t.verbs().contains("deletecollection"),
          t.kind());
    }
  }

  @Test
  void noTwoResourcesShareAShortNameOrPluralWithinAGroup() {
    Map<String, Map<String, String>> aliasOwner = new HashMap<>();
    for (ResourceType t : reg.all()) {
      Map<String, String> owners = aliasOwner.computeIfAbsent(t.group(), g -> new HashMap<>());
      List<String> aliases = new ArrayList<>(t.shortNames());
      aliases.add(t.plural());
      for (String a : aliases) {
        String prev = owners.putIfAbsent(a, t.plural());
        assertTrue(prev == null || prev.equals(t.plural()),
            a + " used by " + prev + " and " + t.plural() + " in group '" + t.group() + "'");
      }
    }
    Set<String> keys = new HashSet<>();
    for (ResourceType t : reg.all()) {
      assertTrue(keys.add(t.resourceKey()), "duplicate " + t.resourceKey());
    }
  }

  @Test
  void kubectlStyleResolution() {
    assertEquals(BuiltinTypes.DEPLOYMENT, reg.resolve("deploy").orElseThrow());
    assertEquals(BuiltinTypes.DEPLOYMENT, reg.resolve("deployment").orElseThrow());
    assertEquals(BuiltinTypes.DEPLOYMENT, reg.resolve("deployments").orElseThrow());
    assertEquals(BuiltinTypes.DEPLOYMENT, reg.resolve("Deployment").orElseThrow());
    assertEquals(BuiltinTypes.DEPLOYMENT, reg.resolve("deployments.apps").orElseThrow());
    assertEquals(BuiltinTypes.DEPLOYMENT, reg.resolve("deployments.v1.apps").orElseThrow());
    assertEquals(BuiltinTypes.POD, reg.resolve("po").orElseThrow());
    assertEquals(BuiltinTypes.POD, reg.resolve(" PODS ").orElseThrow());
    assertEquals(BuiltinTypes.CUSTOM_RESOURCE_DEFINITION, reg.resolve("crds").orElseThrow());
    assertEquals(BuiltinTypes.CUSTOM_RESOURCE_DEFINITION, reg.resolve("crd").orElseThrow());
    assertEquals(BuiltinTypes.RESOURCE_QUOTA, reg.resolve("quota").orElseThrow());
    assertEquals(BuiltinTypes.LIMIT_RANGE, reg.resolve("limits").orElseThrow());
    assertEquals(BuiltinTypes.ENDPOINTS, reg.resolve("ep").orElseThrow());
    // "events" and "ev" exist in two groups: the core group wins, as in kubectl
    assertEquals(List.of(BuiltinTypes.EVENT, BuiltinTypes.EVENTS_EVENT), reg.resolveAll("ev"));
    assertEquals(BuiltinTypes.EVENT, reg.resolve("events").orElseThrow());
    assertEquals(BuiltinTypes.EVENTS_EVENT, reg.resolve("events.events.k8s.io").orElseThrow());
    assertEquals(BuiltinTypes.EVENTS_EVENT, reg.resolve("ev.events.k8s.io").orElseThrow());
    assertEquals(
        BuiltinTypes.EVENTS_EVENT, reg.resolve("events.v1.events.k8s.io").orElseThrow());
    assertEquals(BuiltinTypes.HORIZONTAL_POD_AUTOSCALER,
        reg.resolve("hpa.v2.autoscaling").orElseThrow());
    assertTrue(reg.resolve("nope").isEmpty());
    assertTrue(reg.resolve("deployments.v2.apps").isEmpty());
    assertTrue(reg.resolve("pods.apps").isEmpty());
    assertTrue(reg.resolve("").isEmpty());
    assertTrue(reg.resolve(null).isEmpty());
  }

  @Test
  void exactLookupsAreExact() {
    assertTrue(reg.find("apps", "v1", "deploy").isEmpty(), "find takes the plural only");
    assertTrue(reg.find("", "v1", "deployments").isEmpty());
    assertTrue(reg.byApiVersionKind("apps/v1", "deployment").isEmpty(), "kind is case-sensitive");
    assertTrue(reg.byApiVersionKind("extensions/v1beta1", "Deployment").isEmpty());
    assertTrue(reg.byResourceKey("deployments").isEmpty(), "core has no deployments");
    assertTrue(reg.byResourceKey("").isEmpty());
    assertEquals(BuiltinTypes.EVENT, reg.byApiVersionKind("v1", "Event").orElseThrow());
    assertEquals(BuiltinTypes.EVENTS_EVENT,
        reg.byApiVersionKind("events.k8s.io/v1", "Event").orElseThrow());
    assertEquals(
        BuiltinTypes.EVENTS_EVENT, reg.byResourceKey("events.events.k8s.io").orElseThrow());
  }

  @Test
  void reviewTypesAreCreateOnly() {
    for (ResourceType t : ReviewTypes.ALL) {
      assertEquals(List.of("create"), reg.find(t.group(), "v1", t.plural()).orElseThrow().verbs(), t.kind());
      assertTrue(ReviewTypes.isReview(t), t.kind());
    }
    assertFalse(ReviewTypes.isReview(BuiltinTypes.POD));
  }

  @Test
  void discoveryGrouping() {
    assertEquals(List.of("v1"), reg.coreVersions());
    assertTrue(reg.group("").isEmpty(), "the core group is served under /api, not /apis");
    List<String> names = reg.groups().stream().map(ApiGroup::name).toList();
    assertEquals(
        List.of("apps", "events.k8s.io", "autoscaling", "batch", "networking.k8s.io", "policy",
            "rbac.authorization.k8s.io", "storage.k8s.io", "apiextensions.k8s.io",
            "coordination.k8s.io", "discovery.k8s.io", "authorization.k8s.io", "authentication.k8s.io"),
        names);
    ApiGroup apps = reg.group("apps").orElseThrow();
    assertEquals(List.of("v1"), apps.versions());
    assertEquals("v1", apps.preferredVersion());
    assertEquals(List.of("apps/v1"), apps.groupVersions());
    ApiGroup autoscaling = reg.group("autoscaling").orElseThrow();
    assertEquals(List.of("v2"), autoscaling.versions());
    assertEquals("v2", autoscaling.preferredVersion());
    assertTrue(reg.group("extensions").isEmpty());
    for (ApiGroup g : reg.groups()) {
      assertEquals(g.versions().get(0), g.preferredVersion());
    }

    assertEquals(14, reg.types("", "v1").size());
    assertEquals(reg.types("", "v1"), reg.types("v1"));
    assertEquals(
        List.of("deployments", "replicasets", "statefulsets", "daemonsets",
            "controllerrevisions"),
        reg.types("apps", "v1").stream().map(ResourceType::plural).toList());
    assertEquals(
        List.of("roles", "clusterroles", "rolebindings", "clusterrolebindings"),
        reg.types("rbac.authorization.k8s.io/v1").stream().map(ResourceType::plural).toList());
    assertTrue(reg.types("apps", "v1beta1").isEmpty());
    assertFalse(reg.serves("apps", "v1beta1"));
    assertFalse(reg.serves("", "v2"));
    assertTrue(reg.serves("", "v1"));
  }

  @Test
  void categoryAll() {
    assertEquals(
        List.of("pods", "services", "replicationcontrollers", "deployments", "replicasets", "statefulsets",
            "daemonsets",
            "horizontalpodautoscalers", "jobs", "cronjobs"),
        reg.inCategory("all").stream().map(ResourceType::plural).toList());
  }

  // ------------------------------------------------------------------ CRDs

  private static ResourceType crd(String version, String kind, String plural, String... shorts) {
    return new ResourceType("example.com", version, kind, plural, kind.toLowerCase(), true,
        List.of(shorts), List.of(), ALL_VERBS, Set.of("status"), NameRule.DNS1123_SUBDOMAIN, true,
        Set.of());
  }

  @Test
  void withAddsACrdWithoutChangingTheOriginal() {
    ResourceType widgetV1 = crd("v1", "Widget", "widgets", "wd");
    TypeRegistry next = reg.with(widgetV1);
    assertNotSame(reg, next);
    assertTrue(reg.find("example.com", "v1", "widgets").isEmpty());
    assertEquals(reg.all().size() + 1, next.all().size());
    assertEquals(widgetV1, next.find("example.com", "v1", "widgets").orElseThrow());
    assertEquals(widgetV1, next.resolve("wd").orElseThrow());
    assertEquals(widgetV1, next.resolve("widgets.example.com").orElseThrow());
    assertEquals(widgetV1, next.byApiVersionKind("example.com/v1", "Widget").orElseThrow());
    assertEquals("example.com", next.groups().get(next.groups().size() - 1).name());

    // a second version: discovery sorts by Kubernetes version priority
    TypeRegistry multi = next
        .with(crd("v1alpha1", "Widget", "widgets", "wd"))
        .with(crd("v2beta1", "Widget", "widgets", "wd"));
    ApiGroup g = multi.group("example.com").orElseThrow();
    assertEquals(List.of("v1", "v2beta1", "v1alpha1"), g.versions());
    assertEquals("v1", g.preferredVersion());
    assertEquals("v1", multi.byResourceKey("widgets.example.com").orElseThrow().version());
    assertEquals("v1", multi.resolve("widgets").orElseThrow().version());
    assertEquals("v2beta1", multi.resolve("widgets.v2beta1.example.com").orElseThrow().version());

    // replacing the same (group, version, plural) updates in place
    ResourceType updated = crd("v1", "Widget", "widgets", "wd", "wdg");
    TypeRegistry replaced = multi.with(updated);
    assertEquals(multi.all().size(), replaced.all().size());
    assertEquals(updated, replaced.resolve("wdg").orElseThrow());

    TypeRegistry removed = replaced.without("example.com", "v1", "widgets");
    assertEquals("v2beta1", removed.group("example.com").orElseThrow().preferredVersion());
    assertSame(removed, removed.without("example.com", "v9", "widgets"));
  }

  @Test
  void conflictingCrdsAreRejected() {
    TypeRegistry next = reg.with(crd("v1", "Widget", "widgets", "wd"));
    assertThrows(IllegalArgumentException.class,
        () -> next.with(crd("v1", "Gadget", "gadgets", "wd")), "short name taken");
    assertThrows(IllegalArgumentException.class,
        () -> next.with(crd("v1", "Gadget", "gadgets", "widgets")), "short name = a plural");
    assertThrows(IllegalArgumentException.class,
        () -> next.with(crd("v1", "Widget", "widgets2")), "kind twice in one group-version");
    assertThrows(IllegalArgumentException.class,
        () -> next.with(crd("v2", "Gizmo", "widgets")), "kind differs between versions");
    assertThrows(IllegalArgumentException.class,
        () -> next.with(crd("v1", "Bad", "Bads")), "upper-case plural");
    // the same short name in another group is fine (like "ev")
    ResourceType other = new ResourceType("other.io", "v1", "Widget", "widgets", "widget", true,
        List.of("wd"), List.of(), ALL_VERBS, Set.of(), NameRule.DNS1123_SUBDOMAIN, false,
        Set.of());
    TypeRegistry both = next.with(other);
    assertEquals(List.of("example.com", "other.io"),
        both.resolveAll("wd").stream().map(ResourceType::group).toList());
  }

  @Test
  void registryCopiesMutableInput() {
    List<String> shorts = new ArrayList<>(List.of("mt"));
    ResourceType t = new ResourceType("example.com", "v1", "Mut", "muts", "mut", true, shorts,
        List.of(), ALL_VERBS, new HashSet<>(), NameRule.DNS1123_SUBDOMAIN, false, Set.of());
    TypeRegistry r = TypeRegistry.of(List.of(t));
    shorts.add("changed");
    assertEquals(List.of("mt"), r.all().get(0).shortNames());
    assertThrows(UnsupportedOperationException.class, () -> r.all().add(t));
  }

  @Test
  void versionPriority() {
    List<String> versions = new ArrayList<>(
        List.of("foo10", "v1alpha1", "v11alpha2", "v12alpha1", "v3beta1", "foo1", "v10beta3",
            "v11beta2", "v1", "v2", "v10"));
    versions.sort(TypeRegistry.VERSION_PRIORITY);
    assertEquals(
        List.of("v10", "v2", "v1", "v11beta2", "v10beta3", "v3beta1", "v12alpha1", "v11alpha2",
            "v1alpha1", "foo1", "foo10"),
        versions);
  }
}
