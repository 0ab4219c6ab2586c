package io.pekkube.scenarios;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.pekkube.actors.api.Json;
import io.pekkube.fixture.Kubectl.Background;
import io.pekkube.fixture.Kubectl.Result;
import io.pekkube.fixture.Kubectl;
import io.pekkube.fixture.KubectlServer;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * What kubectl prints from the server's Tables and discovery, for kubectl 1.27 (aggregated
 * discovery v2beta1), 1.33 (v2) and the one on PATH, against one {@code ./pekkube server}.
 * Each version works in its own namespace.
 */
class KubectlOutputTest {
  private static KubectlServer server;

  @BeforeAll
  static void startServer() throws Exception {
    server = KubectlServer.start("kubectl-output");
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

  private static String ns(String version) {
    return "out-" + (version.isEmpty() ? "path" : version.replace('.', '-'));
  }

  private static Result ok(Kubectl k, String... args) throws Exception {
    Result r = k.run(args);
    assertEquals(0, r.exit(), r.describe());
    return r;
  }

  private static void create(Kubectl k, String file, String json) throws Exception {
    ok(k, "create", "-f", k.write(file, json).toString(), "--validate=false");
  }

  /** Namespace, a pod (status set through /status), a deployment, a configmap, a secret, a service. */
  private static void seed(Kubectl k, String ns) throws Exception {
    create(k, "ns.json", "{\"apiVersion\":\"v1\",\"kind\":\"Namespace\",\"metadata\":{\"name\":\"" + ns + "\"}}");
    create(k, "pod.json", "{\"apiVersion\":\"v1\",\"kind\":\"Pod\",\"metadata\":{\"name\":\"web-1\",\"namespace\":\""
        + ns + "\",\"labels\":{\"app\":\"web\",\"tier\":\"front\"}},\"spec\":{\"nodeName\":\"node-a\",\"containers\":"
        + "[{\"name\":\"c\",\"image\":\"nginx:1.25\"}]}}");
    HttpResponse<String> got = k.http("GET", "/api/v1/namespaces/" + ns + "/pods/web-1", null, null);
    ObjectNode pod =
        (ObjectNode) Json.MAPPER.readTree(got.body());
    pod.set("status", Json.MAPPER.readTree("{\"phase\":\"Running\",\"podIP\":\"10.0.0.5\","
        + "\"containerStatuses\":[{\"name\":\"c\",\"ready\":false,\"restartCount\":3,\"state\":{\"waiting\":"
        + "{\"reason\":\"CrashLoopBackOff\"}}}]}"));
    String withStatus = pod.toString();
    HttpResponse<String> put = k.http("PUT", "/api/v1/namespaces/" + ns + "/pods/web-1/status", "application/json",
        withStatus);
    assertEquals(200, put.statusCode(), put.body());
    create(k, "deploy.json", "{\"apiVersion\":\"apps/v1\",\"kind\":\"Deployment\",\"metadata\":{\"name\":\"web\","
        + "\"namespace\":\"" + ns + "\"},\"spec\":{\"replicas\":3,\"selector\":{\"matchLabels\":{\"app\":\"web\"}},"
        + "\"template\":{\"metadata\":{\"labels\":{\"app\":\"web\"}},\"spec\":{\"containers\":[{\"name\":\"nginx\","
        + "\"image\":\"nginx:1.25\"}]}}}}");
    create(k, "cm.json", "{\"apiVersion\":\"v1\",\"kind\":\"ConfigMap\",\"metadata\":{\"name\":\"cfg\",\"namespace\":\""
        + ns + "\"},\"data\":{\"a\":\"1\",\"b\":\"2\"}}");
    create(k, "secret.json", "{\"apiVersion\":\"v1\",\"kind\":\"Secret\",\"metadata\":{\"name\":\"s\",\"namespace\":\""
        + ns + "\"},\"type\":\"Opaque\",\"data\":{\"x\":\"eA==\"}}");
    create(k, "svc.json", "{\"apiVersion\":\"v1\",\"kind\":\"Service\",\"metadata\":{\"name\":\"web\",\"namespace\":\""
        + ns + "\"},\"spec\":{\"type\":\"ClusterIP\",\"clusterIP\":\"10.96.0.20\",\"selector\":{\"app\":\"web\"},"
        + "\"ports\":[{\"port\":80,\"protocol\":\"TCP\"}]}}");
  }

  private static List<String> cells(String line) {
    return Arrays.asList(line.trim().split("\\s{2,}"));
  }

  private static String line(Result r, String firstCell) {
    return r.lines().stream().filter(l -> l.split("\\s+")[0].equals(firstCell)).findFirst()
        .orElseThrow(() -> new AssertionError("no row " + firstCell + "\n" + r.describe()));
  }

  @ParameterizedTest(name = "kubectl {0}")
  @ValueSource(strings = {"1.27", "1.33", ""})
  void getPrintsServerTablesForEveryKind(String version) throws Exception {
    Kubectl k = kubectl(version);
    String ns = ns(version);
    seed(k, ns);

    // Aggregated discovery answers on the first try: with an empty cache kubectl reads /api and /apis
    // and fetches no per-group-version resource list.
    Path freshCache = k.work().resolve("fresh-cache-" + System.nanoTime());
    Result pods = ok(k, "--cache-dir", freshCache.toString(), "-n", ns, "get", "pods", "-v=6");
    assertTrue(pods.err().contains("/apis?timeout") && pods.err().contains("200 OK"), pods.describe());
    assertFalse(pods.err().contains("/apis/apps/v1?timeout") || pods.err().contains("/api/v1?timeout"),
        "kubectl fell back to legacy discovery\n" + pods.describe());
    assertEquals(List.of("NAME", "READY", "STATUS", "RESTARTS", "AGE"), cells(pods.lines().get(0)));
    assertEquals(List.of("web-1", "0/1", "CrashLoopBackOff", "3"), cells(line(pods, "web-1")).subList(0, 4));

    Result wide = ok(k, "-n", ns, "get", "pods", "-o", "wide");
    assertEquals(List.of("NAME", "READY", "STATUS", "RESTARTS", "AGE", "IP", "NODE", "NOMINATED NODE",
        "READINESS GATES"), cells(wide.lines().get(0)));
    assertEquals(List.of("10.0.0.5", "node-a", "<none>", "<none>"), cells(line(wide, "web-1")).subList(5, 9));

    Result labels = ok(k, "-n", ns, "get", "pods", "--show-labels", "-L", "tier");
    assertEquals(List.of("NAME", "READY", "STATUS", "RESTARTS", "AGE", "TIER", "LABELS"), cells(labels.lines().get(0)));
    assertTrue(line(labels, "web-1").endsWith("front   app=web,tier=front"), labels.describe());

    Result deploy = ok(k, "-n", ns, "get", "deploy", "-o", "wide");
    assertEquals(List.of("NAME", "READY", "UP-TO-DATE", "AVAILABLE", "AGE", "CONTAINERS", "IMAGES", "SELECTOR"),
        cells(deploy.lines().get(0)));
    List<String> d = cells(line(deploy, "web"));
    assertEquals(List.of("web", "0/3", "0", "0"), d.subList(0, 4));
    assertEquals(List.of("nginx", "nginx:1.25", "app=web"), d.subList(5, 8));

    Result cm = ok(k, "-n", ns, "get", "cm", "cfg");
    assertEquals(List.of("NAME", "DATA", "AGE"), cells(cm.lines().get(0)));
    assertEquals(List.of("cfg", "2"), cells(line(cm, "cfg")).subList(0, 2));
    Result secret = ok(k, "-n", ns, "get", "secrets");
    assertEquals(List.of("s", "Opaque", "1"), cells(line(secret, "s")).subList(0, 3));
    Result svc = ok(k, "-n", ns, "get", "svc");
    assertEquals(List.of("web", "ClusterIP", "10.96.0.20", "<none>", "80/TCP"), cells(line(svc, "web")).subList(0, 5));

    Result all = ok(k, "-n", ns, "get", "all");
    assertTrue(all.lines().stream().anyMatch(l -> l.startsWith("pod/web-1 ")), all.describe());
    assertTrue(all.lines().stream().anyMatch(l -> l.startsWith("service/web ")), all.describe());
    assertTrue(all.lines().stream().anyMatch(l -> l.startsWith("deployment.apps/web ")), all.describe());
    assertFalse(all.out().contains("configmap/"), all.describe());

    Result name = ok(k, "-n", ns, "get", "pods,cm", "-o", "name");
    assertEquals(List.of("pod/web-1", "configmap/cfg"), name.lines(), name.describe());
    Result custom = ok(k, "-n", ns, "get", "pods", "-o", "custom-columns=N:.metadata.name,IMG:.spec.containers[0].image");
    assertEquals(List.of("web-1", "nginx:1.25"), cells(line(custom, "web-1")));
    Result sorted = ok(k, "-n", ns, "get", "cm", "--sort-by=.metadata.name", "-o", "name");
    assertTrue(sorted.lines().contains("configmap/cfg"), sorted.describe());

    Result describe = ok(k, "-n", ns, "describe", "configmap", "cfg");
    assertTrue(describe.out().contains("Name:         cfg") && describe.out().contains("Events:  <none>"),
        describe.describe());

    Result resources = ok(k, "api-resources", "-o", "wide");
    String podsRow = line(resources, "pods");
    assertTrue(podsRow.matches("pods\\s+po\\s+v1\\s+true\\s+Pod\\s+\\S*get\\S*\\s+all"), resources.describe());
    assertTrue(line(resources, "deployments").contains("deploy"), resources.describe());
  }

  @ParameterizedTest(name = "kubectl {0}")
  @ValueSource(strings = {"1.27", "1.33", ""})
  void watchPrintsTableRowsWithEventTypes(String version) throws Exception {
    Kubectl k = kubectl(version);
    String ns = ns(version) + "-w";
    create(k, "ns-w.json", "{\"apiVersion\":\"v1\",\"kind\":\"Namespace\",\"metadata\":{\"name\":\"" + ns + "\"}}");
    create(k, "cm-w0.json", "{\"apiVersion\":\"v1\",\"kind\":\"ConfigMap\",\"metadata\":{\"name\":\"first\","
        + "\"namespace\":\"" + ns + "\"},\"data\":{\"a\":\"1\"}}");
    try (Background watch = k.background("-n", ns, "get", "cm", "-w", "--output-watch-events")) {
      String start = watch.awaitStdout(o -> o.contains("first"), Duration.ofSeconds(20));
      assertTrue(start.lines().findFirst().orElse("").matches("EVENT\\s+NAME\\s+DATA\\s+AGE"), watch.describe());
      create(k, "cm-w1.json", "{\"apiVersion\":\"v1\",\"kind\":\"ConfigMap\",\"metadata\":{\"name\":\"second\","
          + "\"namespace\":\"" + ns + "\"},\"data\":{\"a\":\"1\",\"b\":\"2\",\"c\":\"3\"}}");
      ok(k, "-n", ns, "delete", "cm", "second");
      String out = watch.awaitStdout(o -> o.lines().anyMatch(l -> l.matches("DELETED\\s+second\\s+.*")),
          Duration.ofSeconds(20));
      assertTrue(out.lines().anyMatch(l -> l.matches("ADDED\\s+first\\s+1\\s+.*")), watch.describe());
      assertTrue(out.lines().anyMatch(l -> l.matches("ADDED\\s+second\\s+3\\s+.*")), watch.describe());
      assertTrue(out.lines().anyMatch(l -> l.matches("DELETED\\s+second\\s+3\\s+.*")), watch.describe());
      assertEquals(1, out.lines().filter(l -> l.startsWith("EVENT")).count(), "headers printed once\n" + out);
    }
  }
}
