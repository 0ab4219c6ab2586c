package io.pekkube.scenarios;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pekkube.fixture.Kubectl;
import io.pekkube.fixture.Kubectl.Background;
import io.pekkube.fixture.Kubectl.Result;
import io.pekkube.fixture.ServerProcess;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@code kubectl delete --cascade=background|foreground|orphan} against a real server: owners and
 * dependents are created from JSON files whose ownerReferences carry the owner's uid, and the garbage
 * collector does what Kubernetes' does. One server for the suite; kubectl 1.27, 1.33 and the one on PATH.
 */
class KubectlCascadeTest {
  private static final Duration DEADLINE = Duration.ofSeconds(60);
  private static Path work;
  private static ServerProcess server;

  @BeforeAll
  static void startServer() throws Exception {
    work = ServerProcess.repositoryRoot().resolve("multi-jvm-tests").resolve("target")
        .resolve("kubectl-cascade-" + System.currentTimeMillis());
    server = ServerProcess.viaLauncherScript(work.resolve("data"), "embedded",
        "-Dpekkube.controllers.garbage-collector.enabled=on");
  }

  @AfterAll
  static void stopServer() throws Exception {
    if (server != null) {
      server.close();
    }
  }

  private static Kubectl kubectl(String version) throws Exception {
    return new Kubectl(Kubectl.require(version), server, work.resolve("v" + (version.isEmpty() ? "path" : version)));
  }

  private static String namespace(Kubectl k, String version, String purpose) throws Exception {
    String name = purpose + "-" + (version.isEmpty() ? "path" : version.replace('.', '-'));
    Result r = k.run("create", "--validate=false", "-f", k.write(name + "-ns.json",
        "{\"apiVersion\":\"v1\",\"kind\":\"Namespace\",\"metadata\":{\"name\":\"" + name + "\"}}").toString());
    assertEquals(0, r.exit(), r.describe());
    return name;
  }

  /** Creates the object from a JSON file and answers its uid. */
  private static String create(Kubectl k, String ns, String file, String json) throws Exception {
    Result r = k.run("create", "--validate=false", "-n", ns, "-f", k.write(ns + "-" + file, json).toString(),
        "-o", "jsonpath={.metadata.uid}");
    assertEquals(0, r.exit(), r.describe());
    assertFalse(r.out().isBlank(), r.describe());
    return r.out().trim();
  }

  private static String ownerRef(String apiVersion, String kind, String name, String uid) {
    return "[{\"apiVersion\":\"" + apiVersion + "\",\"kind\":\"" + kind + "\",\"name\":\"" + name + "\",\"uid\":\""
        + uid + "\",\"controller\":true,\"blockOwnerDeletion\":true}]";
  }

  private static String deployment(String name) {
    return "{\"apiVersion\":\"apps/v1\",\"kind\":\"Deployment\",\"metadata\":{\"name\":\"" + name + "\"},\"spec\":{"
        + "\"selector\":{\"matchLabels\":{\"app\":\"" + name + "\"}},\"template\":{\"metadata\":{\"labels\":{\"app\":\""
        + name + "\"}},\"spec\":{\"containers\":[{\"name\":\"c\",\"image\":\"nginx\"}]}}}}";
  }

  private static String replicaSet(String name, String ownerRefs) {
    return "{\"apiVersion\":\"apps/v1\",\"kind\":\"ReplicaSet\",\"metadata\":{\"name\":\"" + name + "\","
        + "\"ownerReferences\":" + ownerRefs + "},\"spec\":{\"selector\":{\"matchLabels\":{\"app\":\"" + name + "\"}},"
        + "\"template\":{\"metadata\":{\"labels\":{\"app\":\"" + name + "\"}},\"spec\":{\"containers\":[{\"name\":\"c\","
        + "\"image\":\"nginx\"}]}}}}";
  }

  private static String pod(String name, String ownerRefs, String finalizer) {
    return "{\"apiVersion\":\"v1\",\"kind\":\"Pod\",\"metadata\":{\"name\":\"" + name + "\",\"ownerReferences\":"
        + ownerRefs + (finalizer == null ? "" : ",\"finalizers\":[\"" + finalizer + "\"]")
        + "},\"spec\":{\"containers\":[{\"name\":\"c\",\"image\":\"busybox\"}]}}";
  }

  /** A Deployment owning a ReplicaSet owning a Pod (optionally held by a finalizer). */
  private static void chain(Kubectl k, String ns, String name, String podFinalizer) throws Exception {
    String d = create(k, ns, name + "-deploy.json", deployment(name));
    String rs = create(k, ns, name + "-rs.json", replicaSet(name + "-rs", ownerRef("apps/v1", "Deployment", name, d)));
    create(k, ns, name + "-pod.json", pod(name + "-pod", ownerRef("apps/v1", "ReplicaSet", name + "-rs", rs), podFinalizer));
  }

  private static boolean gone(Kubectl k, String ns, String resource) throws Exception {
    Result r = k.run("get", "-n", ns, resource, "--ignore-not-found", "-o", "name");
    return r.exit() == 0 && r.out().isBlank();
  }

  private static void awaitGone(Kubectl k, String ns, String resource) throws Exception {
    long end = System.nanoTime() + DEADLINE.toNanos();
    while (!gone(k, ns, resource)) {
      assertTrue(System.nanoTime() < end, resource + " was not deleted in " + DEADLINE);
      TimeUnit.MILLISECONDS.sleep(200); // polling interval against the deadline
    }
  }

  private static String jsonpath(Kubectl k, String ns, String resource, String path) throws Exception {
    Result r = k.run("get", "-n", ns, resource, "-o", "jsonpath={" + path + "}");
    assertEquals(0, r.exit(), r.describe());
    return r.out().trim();
  }

  @ParameterizedTest
  @ValueSource(strings = {"1.27", "1.33", ""})
  void defaultCascadeDeletesTheDependents(String version) throws Exception {
    Kubectl k = kubectl(version);
    String ns = namespace(k, version, "bg");
    chain(k, ns, "web", null);
    Result r = k.run("delete", "-n", ns, "deployment", "web");
    assertEquals(0, r.exit(), r.describe());
    assertTrue(r.out().contains("deleted"), r.describe());
    awaitGone(k, ns, "replicaset/web-rs");
    awaitGone(k, ns, "pod/web-pod");
  }

  @ParameterizedTest
  @ValueSource(strings = {"1.27", "1.33", ""})
  void orphanLeavesTheDependentsWithoutTheOwnerReference(String version) throws Exception {
    Kubectl k = kubectl(version);
    String ns = namespace(k, version, "orphan");
    chain(k, ns, "web", null);
    Result r = k.run("delete", "-n", ns, "deployment", "web", "--cascade=orphan");
    assertEquals(0, r.exit(), r.describe());
    assertTrue(gone(k, ns, "deployment/web"), "kubectl waited for the deployment to go");
    assertEquals("", jsonpath(k, ns, "replicaset/web-rs", ".metadata.ownerReferences"));
    assertEquals("web-rs", jsonpath(k, ns, "pod/web-pod", ".metadata.ownerReferences[0].name"),
        "the pod keeps its own owner");
  }

  @ParameterizedTest
  @ValueSource(strings = {"1.27", "1.33", ""})
  void foregroundWaitsUntilTheBlockingDependentsAreGone(String version) throws Exception {
    Kubectl k = kubectl(version);
    String ns = namespace(k, version, "fg");
    chain(k, ns, "web", "example.com/hold");
    try (Background delete = k.background("delete", "-n", ns, "deployment", "web", "--cascade=foreground",
        "--timeout=120s")) {
      long end = System.nanoTime() + DEADLINE.toNanos();
      while (jsonpath(k, ns, "pod/web-pod", ".metadata.deletionTimestamp").isEmpty()) {
        assertTrue(System.nanoTime() < end, "the held pod was never marked for deletion");
        TimeUnit.MILLISECONDS.sleep(200);
      }
      assertTrue(delete.process().isAlive(), "kubectl waits while a blocking dependent remains\n" + delete.describe());
      assertEquals("foregroundDeletion", jsonpath(k, ns, "deployment/web", ".metadata.finalizers[0]"));
      assertFalse(gone(k, ns, "replicaset/web-rs"), "the ReplicaSet waits for its pod");

      Result release = k.run("patch", "-n", ns, "pod/web-pod", "--type=json",
          "-p", "[{\"op\":\"remove\",\"path\":\"/metadata/finalizers\"}]");
      assertEquals(0, release.exit(), release.describe());
      assertTrue(delete.process().waitFor(DEADLINE.toSeconds(), TimeUnit.SECONDS), delete.describe());
      assertEquals(0, delete.process().exitValue(), delete.describe());
      assertTrue(delete.stdout().contains("deleted"), delete.describe());
    }
    assertTrue(gone(k, ns, "deployment/web"));
    awaitGone(k, ns, "replicaset/web-rs");
    awaitGone(k, ns, "pod/web-pod");
  }
}
