package io.pekkube.scenarios;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.pekkube.actors.api.Json;
import io.pekkube.fixture.Kubectl.Result;
import io.pekkube.fixture.Kubectl;
import io.pekkube.fixture.KubectlServer;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * kubectl 1.27, 1.33 and the one on PATH against one server: {@code auth can-i}, {@code auth whoami},
 * {@code wait} (condition, jsonpath), {@code delete --cascade}, and the clear errors of {@code exec} and
 * {@code logs} while no kubelet runs pods.
 */
class KubectlSubresourcesTest {
  private static KubectlServer server;

  @BeforeAll
  static void startServer() throws Exception {
    // Pods stay where the tests put them: no scheduler binds them (the server's own kubelet runs only
    // pods bound to its node, and these are bound to nodes that do not exist).
    server = KubectlServer.start("kubectl-subres", "-Dpekkube.scheduler.enabled=off");
  }

  @AfterAll
  static void stopServer() throws Exception {
    if (server != null) {
      server.close();
    }
  }

  private static Kubectl kubectl(String version) throws Exception {
    return server.kubectl(version);
  }

  private static String ns(Kubectl k, String version) throws Exception {
    String name = "sub-" + (version.isEmpty() ? "path" : version.replace('.', '-'));
    Result r = k.run("create", "--validate=false", "-f", k.write("ns.json",
        "{\"apiVersion\":\"v1\",\"kind\":\"Namespace\",\"metadata\":{\"name\":\"" + name + "\"}}").toString());
    assertTrue(r.exit() == 0 || r.err().contains("AlreadyExists"), r.describe());
    return name;
  }

  private static void create(Kubectl k, String ns, String file, String json) throws Exception {
    Result r = k.run("create", "--validate=false", "-n", ns, "-f", k.write(file, json).toString());
    assertEquals(0, r.exit(), r.describe());
  }

  private static String pod(String name) {
    return "{\"apiVersion\":\"v1\",\"kind\":\"Pod\",\"metadata\":{\"name\":\"" + name + "\"},"
        + "\"spec\":{\"containers\":[{\"name\":\"c\",\"image\":\"busybox\"}]}}";
  }

  /** kubectl 1.27 posts its reviews as JSON, 1.33 and the one on PATH as protobuf. */
  @ParameterizedTest
  @ValueSource(strings = {"1.27", "1.33", ""})
  void authCanIAndWhoami(String version) throws Exception {
    Kubectl k = kubectl(version);
    Result yes = k.run("auth", "can-i", "create", "pods");
    assertEquals(0, yes.exit(), yes.describe());
    assertEquals("yes", yes.out().trim(), yes.describe());
    Result list = k.run("auth", "can-i", "--list");
    assertEquals(0, list.exit(), list.describe());
    assertTrue(list.out().contains("*.*"), list.describe());
    if (!version.equals("1.27")) {
      // auth whoami exists from kubectl 1.28 on.
      Result who = k.run("auth", "whoami");
      assertEquals(0, who.exit(), who.describe());
      assertTrue(who.out().matches("(?s).*Username\\s+admin.*"), who.describe());
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"1.27", "1.33", ""})
  void waitForConditionAndJsonpath(String version) throws Exception {
    Kubectl k = kubectl(version);
    String ns = ns(k, version);
    create(k, ns, "w.json", pod("w"));
    HttpResponse<String> got = k.http("GET", "/api/v1/namespaces/" + ns + "/pods/w", null, null);
    ObjectNode pod =
        (ObjectNode) Json.MAPPER.readTree(got.body());
    pod.set("status", Json.MAPPER.readTree(
        "{\"phase\":\"Running\",\"conditions\":[{\"type\":\"Ready\",\"status\":\"True\"}]}"));
    String running = pod.toString();
    assertEquals(200, k.http("PUT", "/api/v1/namespaces/" + ns + "/pods/w/status", "application/json", running)
        .statusCode());
    Result ready = k.run("wait", "-n", ns, "--for=condition=Ready", "pod/w", "--timeout=30s");
    assertEquals(0, ready.exit(), ready.describe());
    assertTrue(ready.out().contains("pod/w condition met"), ready.describe());
    Result phase = k.run("wait", "-n", ns, "--for=jsonpath={.status.phase}=Running", "pod/w", "--timeout=30s");
    assertEquals(0, phase.exit(), phase.describe());
    assertTrue(phase.out().contains("pod/w condition met"), phase.describe());

  }

  /**
   * {@code wait --for=delete} on a pod a finalizer holds: kubectl watches (fieldSelector on the name)
   * until the DELETED event that follows the finalizer's removal. The test waits for kubectl's watch
   * request ({@code -v=6}) before releasing the pod: a pod already gone at kubectl's first GET makes it
   * exit 0 silently (resource lookup ignores NotFound for --for=delete), which is kubectl's own behaviour.
   */
  @ParameterizedTest
  @ValueSource(strings = {"1.27", "1.33", ""})
  void waitForDeleteOfAPodHeldByAFinalizer(String version) throws Exception {
    Kubectl k = kubectl(version);
    String ns = ns(k, version);
    create(k, ns, "held.json", "{\"apiVersion\":\"v1\",\"kind\":\"Pod\",\"metadata\":{\"name\":\"held\","
        + "\"finalizers\":[\"example.com/hold\"]},\"spec\":{\"containers\":[{\"name\":\"c\",\"image\":\"busybox\"}]}}");
    String path = "/api/v1/namespaces/" + ns + "/pods/held";
    assertEquals(200, k.http("DELETE", path, null, null).statusCode());
    try (Kubectl.Background wait = k.background("wait", "-v=6", "-n", ns, "--for=delete", "pod/held",
        "--timeout=30s")) {
      String watching = wait.awaitOutput(o -> o.contains("watch=true"), Duration.ofSeconds(20));
      assertTrue(watching.contains("watch=true"), wait.describe());
      ObjectNode held = (ObjectNode) Json.MAPPER.readTree(k.http("GET", path, null, null).body());
      ((ObjectNode) held.get("metadata")).remove("finalizers");
      HttpResponse<String> released = k.http("PUT", path, "application/json", held.toString());
      assertEquals(200, released.statusCode(), released.body());
      assertTrue(wait.process().waitFor(30, TimeUnit.SECONDS), wait.describe());
      assertEquals(0, wait.process().exitValue(), wait.describe());
      assertTrue(wait.stdout().contains("pod/held condition met"), wait.describe());
    }
    assertEquals(404, k.http("GET", path, null, null).statusCode());
    // Already gone when kubectl first looks: like against Kubernetes, it succeeds without a word.
    Result gone = k.run("wait", "-n", ns, "--for=delete", "pod/held", "--timeout=30s");
    assertEquals(0, gone.exit(), gone.describe());
  }

  @ParameterizedTest
  @ValueSource(strings = {"1.27", "1.33", ""})
  void scaleDeploymentAndWarningsForDeprecatedFields(String version) throws Exception {
    Kubectl k = kubectl(version);
    String ns = ns(k, version);
    Result created = k.run("create", "--validate=false", "-n", ns, "-f", k.write("dep.json",
        "{\"apiVersion\":\"apps/v1\",\"kind\":\"Deployment\",\"metadata\":{\"name\":\"sc\"},\"spec\":{"
            + "\"replicas\":1,\"selector\":{\"matchLabels\":{\"app\":\"sc\"}},\"template\":{\"metadata\":"
            + "{\"labels\":{\"app\":\"sc\"}},\"spec\":{\"nodeSelector\":{\"beta.kubernetes.io/os\":\"linux\"},"
            + "\"containers\":[{\"name\":\"c\",\"image\":\"busybox\"}]}}}}").toString());
    assertEquals(0, created.exit(), created.describe());
    assertTrue(created.err().contains("Warning: spec.template.spec.nodeSelector[beta.kubernetes.io/os]: "
        + "deprecated since v1.14; use \"kubernetes.io/os\" instead"), created.describe());

    Result scaled = k.run("scale", "-n", ns, "deployment/sc", "--replicas=3");
    assertEquals(0, scaled.exit(), scaled.describe());
    assertTrue(scaled.out().contains("deployment.apps/sc scaled"), scaled.describe());
    Result replicas = k.run("get", "-n", ns, "deployment/sc", "-o", "jsonpath={.spec.replicas}");
    assertEquals("3", replicas.out().trim(), replicas.describe());

    // --current-replicas: kubectl GETs the Scale, checks the count, then PUTs it back changed.
    Result checked = k.run("scale", "-n", ns, "deployment/sc", "--current-replicas=3", "--replicas=5");
    assertEquals(0, checked.exit(), checked.describe());
    assertTrue(checked.out().contains("deployment.apps/sc scaled"), checked.describe());
    Result wrongCount = k.run("scale", "-n", ns, "deployment/sc", "--current-replicas=3", "--replicas=6");
    assertNotEquals(0, wrongCount.exit(), wrongCount.describe());
    assertTrue(wrongCount.err().contains("Expected replicas to be 3, was 5"), wrongCount.describe());
    Result after = k.run("get", "-n", ns, "deployment/sc", "-o", "jsonpath={.spec.replicas}");
    assertEquals("5", after.out().trim(), after.describe());
  }

  @ParameterizedTest
  @ValueSource(strings = {"1.27", "1.33", ""})
  void deleteCascadeValuesReachTheServer(String version) throws Exception {
    Kubectl k = kubectl(version);
    String ns = ns(k, version);
    for (String cascade : List.of("background", "foreground", "orphan")) {
      create(k, ns, "cm-" + cascade + ".json",
          "{\"apiVersion\":\"v1\",\"kind\":\"ConfigMap\",\"metadata\":{\"name\":\"cm-" + cascade + "\"}}");
      Result r = k.run("delete", "-n", ns, "configmap/cm-" + cascade, "--cascade=" + cascade);
      assertEquals(0, r.exit(), r.describe());
      assertTrue(r.out().contains("deleted"), r.describe());
      assertEquals(404, k.http("GET", "/api/v1/namespaces/" + ns + "/configmaps/cm-" + cascade, null, null)
          .statusCode());
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"1.27", "1.33", ""})
  void execAndLogsFailClearlyWhileNoKubeletRunsThePod(String version) throws Exception {
    Kubectl k = kubectl(version);
    String ns = ns(k, version);
    create(k, ns, "e.json", pod("e"));
    Result unscheduled = k.run("exec", "-n", ns, "e", "--", "ls");
    assertNotEquals(0, unscheduled.exit(), unscheduled.describe());
    assertTrue(unscheduled.err().contains("pod e does not have a host assigned"), unscheduled.describe());
    Result emptyLog = k.run("logs", "-n", ns, "e");
    assertEquals(0, emptyLog.exit(), emptyLog.describe());
    assertEquals("", emptyLog.out(), emptyLog.describe());

    assertEquals(201, k.http("POST", "/api/v1/namespaces/" + ns + "/pods/e/binding", "application/json",
        "{\"metadata\":{\"name\":\"e\"},\"target\":{\"name\":\"n1\"}}").statusCode());
    Result bound = k.run("exec", "-n", ns, "e", "--", "ls");
    // The API server looks up the pod's node to reach its kubelet, and there is no node n1.
    assertNotEquals(0, bound.exit(), bound.describe());
    assertTrue(bound.err().contains("nodes \"n1\" not found"), bound.describe());
    Result log = k.run("logs", "-n", ns, "e");
    assertNotEquals(0, log.exit(), log.describe());
    // Logs are refused before any node is asked: the pod reports no started container.
    assertTrue(log.err().contains("container \"c\" in pod \"e\" is not available"), log.describe());
  }
}
