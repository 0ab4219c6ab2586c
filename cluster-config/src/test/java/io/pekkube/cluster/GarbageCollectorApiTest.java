package io.pekkube.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.typesafe.config.ConfigFactory;
import io.pekkube.cluster.settings.NodeSettings;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Cascading deletion over real HTTP against an in-process node: the three propagation policies with
 * dependents of several types, blockOwnerDeletion, owners recreated under the same name, cluster-scoped
 * owners, and a foreground deletion that is still pending when the node restarts.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class GarbageCollectorApiTest {
  private static final Duration DEADLINE = Duration.ofSeconds(60);
  private Path dir;
  private PekkubeNode node;
  private ApiHttp api;

  @BeforeAll
  void start() throws Exception {
    dir = Files.createTempDirectory(Path.of(System.getProperty("java.io.tmpdir")), "pekkube-gc-");
    startNode();
  }

  private void startNode() throws Exception {
    node = PekkubeNode.start(new NodeSettings(dir, "127.0.0.1", 0, ApiContract.freePort(), List.of(),
            List.of("control-plane", "worker"), "embedded", "gc-node"),
        ConfigFactory.parseString("pekko.actor.serialize-messages = on\n"
            + "pekkube.controllers.garbage-collector.enabled = on"));
    api = new ApiHttp(node.apiPort());
  }

  @AfterAll
  void stop() {
    if (node != null) {
      ApiContract.closeAndKillContainers(node);
    }
  }

  // ---- objects ----

  record Owner(String apiVersion, String kind, String name, String uid) {}

  private static String refs(boolean block, Owner... owners) {
    StringBuilder b = new StringBuilder("[");
    for (Owner o : owners) {
      b.append(b.length() > 1 ? "," : "").append("{\"apiVersion\":\"").append(o.apiVersion()).append("\",\"kind\":\"")
          .append(o.kind()).append("\",\"name\":\"").append(o.name()).append("\",\"uid\":\"").append(o.uid())
          .append("\",\"blockOwnerDeletion\":").append(block).append("}");
    }
    return b.append("]").toString();
  }

  private static String meta(String name, String ownerRefs, String... finalizers) {
    StringBuilder m = new StringBuilder("{\"name\":\"" + name + "\"");
    if (ownerRefs != null) {
      m.append(",\"ownerReferences\":").append(ownerRefs);
    }
    if (finalizers.length > 0) {
      m.append(",\"finalizers\":[\"").append(String.join("\",\"", finalizers)).append("\"]");
    }
    return m.append("}").toString();
  }

  private Owner create(String path, String json) {
    ApiHttp.Reply r = api.post(path, json);
    assertEquals(201, r.status(), r.raw());
    JsonNode b = r.body();
    return new Owner(b.path("apiVersion").asText(), b.path("kind").asText(), b.path("metadata").path("name").asText(),
        b.path("metadata").path("uid").asText());
  }

  private Owner deployment(String ns, String name) {
    return create("/apis/apps/v1/namespaces/" + ns + "/deployments", "{\"apiVersion\":\"apps/v1\",\"kind\":\"Deployment\","
        + "\"metadata\":" + meta(name, null) + ",\"spec\":{\"selector\":{\"matchLabels\":{\"app\":\"" + name + "\"}},"
        + "\"template\":{\"metadata\":{\"labels\":{\"app\":\"" + name + "\"}},\"spec\":{\"containers\":[{\"name\":\"c\","
        + "\"image\":\"nginx\"}]}}}}");
  }

  private Owner replicaSet(String ns, String name, String ownerRefs) {
    return create("/apis/apps/v1/namespaces/" + ns + "/replicasets", "{\"apiVersion\":\"apps/v1\",\"kind\":\"ReplicaSet\","
        + "\"metadata\":" + meta(name, ownerRefs) + ",\"spec\":{\"selector\":{\"matchLabels\":{\"app\":\"" + name + "\"}},"
        + "\"template\":{\"metadata\":{\"labels\":{\"app\":\"" + name + "\"}},\"spec\":{\"containers\":[{\"name\":\"c\","
        + "\"image\":\"nginx\"}]}}}}");
  }

  private Owner pod(String ns, String name, String ownerRefs, String... finalizers) {
    return create("/api/v1/namespaces/" + ns + "/pods", "{\"apiVersion\":\"v1\",\"kind\":\"Pod\",\"metadata\":"
        + meta(name, ownerRefs, finalizers) + ",\"spec\":{\"containers\":[{\"name\":\"c\",\"image\":\"nginx\"}]}}");
  }

  private Owner configMap(String ns, String name, String ownerRefs, String... finalizers) {
    return create("/api/v1/namespaces/" + ns + "/configmaps", "{\"apiVersion\":\"v1\",\"kind\":\"ConfigMap\",\"metadata\":"
        + meta(name, ownerRefs, finalizers) + ",\"data\":{\"k\":\"v\"}}");
  }

  private String newNamespace(String prefix) {
    String name = prefix + "-" + Long.toHexString(System.nanoTime()).substring(6);
    assertEquals(201, api.post("/api/v1/namespaces", "{\"apiVersion\":\"v1\",\"kind\":\"Namespace\",\"metadata\":{\"name\":\""
        + name + "\"}}").status());
    return name;
  }

  private static String policy(String p) {
    return "{\"kind\":\"DeleteOptions\",\"apiVersion\":\"v1\",\"propagationPolicy\":\"" + p + "\"}";
  }

  private void awaitTrue(String what, BooleanSupplier condition) {
    long end = System.nanoTime() + DEADLINE.toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > end) {
        throw new AssertionError("timed out waiting: " + what);
      }
      Thread.onSpinWait();
      try {
        Thread.sleep(50); // polling interval against the deadline, not a wait for an outcome
      } catch (InterruptedException e) {
        throw new AssertionError(e);
      }
    }
  }

  private void awaitGone(String path) {
    awaitTrue(path + " is deleted", () -> api.get(path).status() == 404);
  }

  private JsonNode get(String path) {
    ApiHttp.Reply r = api.get(path);
    assertEquals(200, r.status(), path + ": " + r.raw());
    return r.body();
  }

  // ---- tests ----

  @Test
  void backgroundDeletesTheOwnerAtOnceAndThenEveryDependentDownTheChain() {
    String ns = newNamespace("bg");
    String apps = "/apis/apps/v1/namespaces/" + ns;
    String core = "/api/v1/namespaces/" + ns;
    Owner d = deployment(ns, "web");
    Owner rs = replicaSet(ns, "web-1", refs(false, d));
    pod(ns, "web-1-a", refs(false, rs));
    pod(ns, "web-1-b", refs(false, rs));
    configMap(ns, "web-config", refs(false, d));

    ApiHttp.Reply r = api.delete(apps + "/deployments/web", policy("Background"));
    assertEquals(200, r.status(), r.raw());
    assertEquals(404, api.get(apps + "/deployments/web").status(), "the owner goes at once");
    awaitGone(apps + "/replicasets/web-1");
    awaitGone(core + "/pods/web-1-a");
    awaitGone(core + "/pods/web-1-b");
    awaitGone(core + "/configmaps/web-config");
  }

  @Test
  void noPolicyMeansBackgroundForConfigMapsOwningConfigMaps() {
    String ns = newNamespace("dflt");
    String core = "/api/v1/namespaces/" + ns;
    Owner parent = configMap(ns, "parent", null);
    configMap(ns, "child", refs(false, parent));
    assertEquals(200, api.delete(core + "/configmaps/parent").status());
    awaitGone(core + "/configmaps/child");
  }

  @Test
  void aDependentWhoseOwnerWasRecreatedUnderTheSameNameIsCollected() {
    String ns = newNamespace("uid");
    String core = "/api/v1/namespaces/" + ns;
    Owner first = configMap(ns, "owner", null);
    assertEquals(200, api.delete(core + "/configmaps/owner").status());
    Owner second = configMap(ns, "owner", null);
    assertFalse(first.uid().equals(second.uid()));
    configMap(ns, "stale-child", refs(false, first));
    Owner kept = configMap(ns, "kept-child", refs(false, second));
    awaitGone(core + "/configmaps/stale-child");
    assertEquals(second.uid(), get(core + "/configmaps/kept-child").path("metadata").path("ownerReferences").get(0)
        .path("uid").asText(), kept.name() + " names the live owner and stays");
  }

  @Test
  void aDependentKeepsLivingWhileOneOwnerExistsAndLosesTheReferenceToTheGoneOne() {
    String ns = newNamespace("two");
    String core = "/api/v1/namespaces/" + ns;
    Owner a = configMap(ns, "a", null);
    Owner b = configMap(ns, "b", null);
    configMap(ns, "shared", refs(false, a, b));
    assertEquals(200, api.delete(core + "/configmaps/a").status());
    awaitTrue("the reference to a is dropped", () ->
        get(core + "/configmaps/shared").path("metadata").path("ownerReferences").size() == 1);
    assertEquals(b.uid(), get(core + "/configmaps/shared").path("metadata").path("ownerReferences").get(0)
        .path("uid").asText());
  }

  @Test
  void aClusterScopedOwnerCollectsNamespacedDependents() {
    String ns = newNamespace("cluster");
    Owner role = create("/apis/rbac.authorization.k8s.io/v1/clusterroles",
        "{\"apiVersion\":\"rbac.authorization.k8s.io/v1\",\"kind\":\"ClusterRole\",\"metadata\":{\"name\":\"" + ns
            + "-owner\"},\"rules\":[]}");
    configMap(ns, "owned-by-cluster-role", refs(false, role));
    Owner namespaceOwner = new Owner("v1", "Namespace", ns, get("/api/v1/namespaces/" + ns).path("metadata")
        .path("uid").asText());
    configMap(ns, "owned-by-namespace", refs(false, namespaceOwner));
    assertEquals(200, api.delete("/apis/rbac.authorization.k8s.io/v1/clusterroles/" + ns + "-owner").status());
    awaitGone("/api/v1/namespaces/" + ns + "/configmaps/owned-by-cluster-role");
    assertEquals(200, api.get("/api/v1/namespaces/" + ns + "/configmaps/owned-by-namespace").status(),
        "its cluster-scoped owner exists");
  }

  @Test
  void orphanDeletesTheOwnerAfterDroppingItsReferenceFromEveryDependent() {
    String ns = newNamespace("orphan");
    String apps = "/apis/apps/v1/namespaces/" + ns;
    String core = "/api/v1/namespaces/" + ns;
    Owner d = deployment(ns, "web");
    Owner rs = replicaSet(ns, "web-1", refs(true, d));
    pod(ns, "web-1-a", refs(true, rs));
    Owner other = configMap(ns, "other-owner", null);
    configMap(ns, "cfg", refs(false, d, other));

    ApiHttp.Reply r = api.delete(apps + "/deployments/web", policy("Orphan"));
    assertEquals(200, r.status(), r.raw());
    assertTrue(r.body().path("metadata").path("finalizers").toString().contains("orphan"), r.raw());
    awaitGone(apps + "/deployments/web");
    assertTrue(get(apps + "/replicasets/web-1").path("metadata").path("ownerReferences").isMissingNode());
    assertEquals(rs.uid(), get(core + "/pods/web-1-a").path("metadata").path("ownerReferences").get(0).path("uid").asText(),
        "grandchildren keep their own owner");
    JsonNode cfgRefs = get(core + "/configmaps/cfg").path("metadata").path("ownerReferences");
    assertEquals(1, cfgRefs.size());
    assertEquals(other.uid(), cfgRefs.get(0).path("uid").asText());
  }

  @Test
  void foregroundWaitsForBlockingDependentsEvenAcrossARestart() throws Exception {
    String ns = newNamespace("fg");
    String apps = "/apis/apps/v1/namespaces/" + ns;
    String core = "/api/v1/namespaces/" + ns;
    Owner d = deployment(ns, "web");
    Owner rs = replicaSet(ns, "web-1", refs(true, d));
    pod(ns, "held", refs(true, rs), "example.com/hold");
    pod(ns, "free", refs(true, rs));
    configMap(ns, "not-blocking", refs(false, d), "example.com/hold");

    ApiHttp.Reply r = api.delete(apps + "/deployments/web", policy("Foreground"));
    assertEquals(200, r.status(), r.raw());
    assertTrue(r.body().path("metadata").hasNonNull("deletionTimestamp"), r.raw());
    assertTrue(r.body().path("metadata").path("finalizers").toString().contains("foregroundDeletion"), r.raw());
    awaitGone(core + "/pods/free");
    awaitTrue("the held pod is being deleted", () -> get(core + "/pods/held").path("metadata").hasNonNull("deletionTimestamp"));
    awaitTrue("the non-blocking dependent is being deleted",
        () -> get(core + "/configmaps/not-blocking").path("metadata").hasNonNull("deletionTimestamp"));
    JsonNode replicaSet = get(apps + "/replicasets/web-1");
    assertTrue(replicaSet.path("metadata").path("finalizers").toString().contains("foregroundDeletion"),
        "the ReplicaSet has dependents of its own, so it is deleted in the foreground too");

    node.close();
    startNode();

    // Proof that the restarted collector runs: it collects a new orphaned dependent...
    Owner probe = configMap(ns, "probe-owner", null);
    configMap(ns, "probe-child", refs(false, probe));
    assertEquals(200, api.delete(core + "/configmaps/probe-owner").status());
    awaitGone(core + "/configmaps/probe-child");
    // ...yet the owners still wait for the held pod.
    assertEquals(200, api.get(apps + "/deployments/web").status());
    assertEquals(200, api.get(apps + "/replicasets/web-1").status());

    ObjectNode held = (ObjectNode) get(core + "/pods/held");
    ((ObjectNode) held.path("metadata")).remove("finalizers");
    assertEquals(200, api.put(core + "/pods/held", held.toString()).status());
    awaitGone(core + "/pods/held");
    awaitGone(apps + "/replicasets/web-1");
    awaitGone(apps + "/deployments/web");
    assertEquals(200, api.get(core + "/configmaps/not-blocking").status(), "a non-blocking dependent does not hold its owner");
  }

  @Test
  void aThousandDependentsAreCollected() throws Exception {
    String ns = newNamespace("many");
    String core = "/api/v1/namespaces/" + ns;
    Owner owner = configMap(ns, "owner", null);
    // 200 keeps the suite short; -Dgc.dependents=1000 gives the figure in docs/architecture.md.
    int count = Integer.getInteger("gc.dependents", 200);
    ExecutorService pool = Executors.newFixedThreadPool(8);
    try {
      List<Future<?>> creates = new ArrayList<>();
      for (int i = 0; i < count; i++) {
        String name = "child-" + i;
        creates.add(pool.submit(() -> configMap(ns, name, refs(false, owner))));
      }
      for (Future<?> f : creates) {
        f.get();
      }
    } finally {
      pool.shutdown();
    }
    assertEquals(count + 1, get(core + "/configmaps").path("items").size());
    long start = System.nanoTime();
    assertEquals(200, api.delete(core + "/configmaps/owner").status());
    awaitTrue("all dependents are collected", () -> get(core + "/configmaps").path("items").isEmpty());
    System.out.printf("garbage collector: %d dependents deleted in %d ms%n", count,
        (System.nanoTime() - start) / 1_000_000);
  }
}
