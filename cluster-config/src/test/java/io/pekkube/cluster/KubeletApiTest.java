package io.pekkube.cluster;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.typesafe.config.ConfigFactory;
import io.pekkube.cluster.settings.NodeSettings;
import io.pekkube.node.runtime.RunningContainer;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The kubelet of an in-process node (control plane and worker) over real HTTP, with the real process
 * runtime: node registration and lease, a pod whose container serves HTTP and becomes Ready through
 * its readiness probe, a liveness probe that restarts a hanging container, {@code kubectl logs -f} and
 * {@code kubectl exec}, the runAsNonRoot refusal, and graceful deletion: SIGTERM, the final status, then
 * the kubelet's own DELETE removes the pod.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class KubeletApiTest {
  private static final Duration DEADLINE = Duration.ofSeconds(60);
  private static final String NODE = "kubelet-test-node";
  private Path dir;
  private PekkubeNode node;
  private ApiHttp api;

  @BeforeAll
  void start() throws Exception {
    dir = Files.createTempDirectory(Path.of(System.getProperty("java.io.tmpdir")), "pekkube-kubelet-");
    node = PekkubeNode.start(new NodeSettings(dir, "127.0.0.1", 0, ApiContract.freePort(), List.of(),
        List.of("control-plane", "worker"), "embedded", NODE), ConfigFactory.parseString(
            "pekkube.node.kubelet.node-status-update-frequency = 1s\n"
            + "pekkube.node.kubelet.node-lease-renew-interval = 2s"));
    api = new ApiHttp(node.apiPort());
  }

  @AfterAll
  void stop() throws Exception {
    try {
      api.send("DELETE", "/api/v1/namespaces/default/pods", null, null);
      if (node != null && node.kubelets() != null) {
        await().atMost(DEADLINE).until(() -> runningContainers().isEmpty());
      }
    } finally {
      if (node != null) {
        // The safety net: no test leaves a process behind, whatever failed above.
        runningContainers().forEach(c -> c.stop(Duration.ZERO));
        node.close();
      }
    }
  }

  private List<RunningContainer> runningContainers() {
    List<RunningContainer> all = new ArrayList<>();
    node.kubelets().runtimes().forEach(r -> all.addAll(r.running()));
    return all;
  }

  private JsonNode pod(String name) {
    return api.get("/api/v1/namespaces/default/pods/" + name).body();
  }

  private static JsonNode condition(JsonNode pod, String type) {
    for (JsonNode c : pod.path("status").path("conditions")) {
      if (c.path("type").asText().equals(type)) {
        return c;
      }
    }
    return com.fasterxml.jackson.databind.node.MissingNode.getInstance();
  }

  private void create(String podJson) {
    ApiHttp.Reply r = api.post("/api/v1/namespaces/default/pods", podJson);
    assertEquals(201, r.status(), r.raw());
  }

  @Test
  void nodeIsRegisteredReadyWithItsLeaseRenewed() {
    await().atMost(DEADLINE).until(() -> api.get("/api/v1/nodes/" + NODE).status() == 200
        && condition(api.get("/api/v1/nodes/" + NODE).body(), "Ready").path("status").asText().equals("True"));
    JsonNode n = api.get("/api/v1/nodes/" + NODE).body();
    assertEquals(NODE, n.path("metadata").path("labels").path("kubernetes.io/hostname").asText());
    assertEquals("linux", n.path("metadata").path("labels").path("kubernetes.io/os").asText());
    assertEquals("110", n.path("status").path("capacity").path("pods").asText());
    assertEquals(Integer.toString(Runtime.getRuntime().availableProcessors()),
        n.path("status").path("allocatable").path("cpu").asText());
    assertEquals(node.kubelets().port(), n.path("status").path("daemonEndpoints").path("kubeletEndpoint").path("Port").asInt());
    assertEquals("KubeletHasSufficientPID", condition(n, "PIDPressure").path("reason").asText());
    String lease = "/apis/coordination.k8s.io/v1/namespaces/kube-node-lease/leases/" + NODE;
    await().atMost(DEADLINE).until(() -> api.get(lease).status() == 200);
    JsonNode first = api.get(lease).body();
    assertEquals(NODE, first.path("spec").path("holderIdentity").asText());
    assertEquals(40, first.path("spec").path("leaseDurationSeconds").asInt());
    await().atMost(DEADLINE).until(() -> !api.get(lease).body().path("spec").path("renewTime").asText()
        .equals(first.path("spec").path("renewTime").asText()));
  }

  @Test
  void podServingHttpBecomesReadyAndAnswers() throws Exception {
    int port = ApiContract.freePort();
    create("""
        {"apiVersion":"v1","kind":"Pod","metadata":{"name":"web"},
         "spec":{"nodeName":"%s","containers":[{"name":"web","image":"python:3",
           "command":["python3","-m","http.server","%d","--bind","127.0.0.1"],
           "readinessProbe":{"httpGet":{"port":%d,"path":"/"},"periodSeconds":1}}]}}""".formatted(NODE, port, port));
    await().atMost(DEADLINE).until(() -> condition(pod("web"), "Ready").path("status").asText().equals("True"));
    JsonNode p = pod("web");
    assertEquals("Running", p.path("status").path("phase").asText());
    assertEquals("True", condition(p, "ContainersReady").path("status").asText());
    JsonNode c = p.path("status").path("containerStatuses").get(0);
    assertTrue(c.path("containerID").asText().startsWith("pekkube://"), c.toString());
    assertTrue(c.path("state").path("running").has("startedAt"));
    assertTrue(c.path("ready").asBoolean() && c.path("started").asBoolean());
    assertEquals("BestEffort", p.path("status").path("qosClass").asText());
    HttpResponse<String> page = HttpClient.newHttpClient().send(
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/")).GET().build(),
        HttpResponse.BodyHandlers.ofString());
    assertEquals(200, page.statusCode());
    // Deleting the pod stops its process.
    assertEquals(200, api.delete("/api/v1/namespaces/default/pods/web").status());
    await().atMost(DEADLINE).until(() -> runningContainers().stream()
        .noneMatch(r -> r.spec().podName().equals("web")));
  }

  @Test
  void deletingARunningPodStopsItWithSigtermThenTheKubeletRemovesIt() throws Exception {
    Path marker = dir.resolve("got-sigterm");
    create("""
        {"apiVersion":"v1","kind":"Pod","metadata":{"name":"graceful"},
         "spec":{"nodeName":"%s","terminationGracePeriodSeconds":30,"containers":[{"name":"app","image":"busybox",
           "command":["sh","-c","trap 'echo TERM > %s; exit 0' TERM; while true; do sleep 0.2; done"]}]}}"""
        .formatted(NODE, marker));
    await().atMost(DEADLINE).until(() -> pod("graceful").path("status").path("phase").asText().equals("Running"));
    String rv = pod("graceful").path("metadata").path("resourceVersion").asText();
    try (ApiHttp.Watch watch = api.watch("/api/v1/namespaces/default/pods?watch=true&fieldSelector="
        + "metadata.name%3Dgraceful&resourceVersion=" + rv)) {
      long deleted = System.nanoTime();
      ApiHttp.Reply r = api.delete("/api/v1/namespaces/default/pods/graceful");
      assertEquals(200, r.status(), r.raw());
      assertEquals(30, r.body().path("metadata").path("deletionGracePeriodSeconds").asInt(), r.raw());
      assertTrue(r.body().path("metadata").hasNonNull("deletionTimestamp"));

      List<JsonNode> events = new ArrayList<>();
      JsonNode event;
      do {
        event = watch.next(DEADLINE);
        assertTrue(event != null, "the pod was not deleted; events: " + events);
        events.add(event);
      } while (!event.path("type").asText().equals("DELETED"));
      double seconds = (System.nanoTime() - deleted) / 1e9;
      assertTrue(seconds < 20, "gone " + seconds + " s after the DELETE, well within its 30 s grace period");
      assertEquals("MODIFIED", events.get(0).path("type").asText(), "the grace period starts: " + events);
      assertTrue(events.get(0).path("object").path("metadata").hasNonNull("deletionTimestamp"));
      JsonNode last = events.get(events.size() - 2).path("object");
      assertEquals("Succeeded", last.path("status").path("phase").asText(), "the final status: " + last);
      assertEquals(0, last.path("status").path("containerStatuses").path(0).path("state").path("terminated")
          .path("exitCode").asInt(-1), last.toString());
      assertEquals("TERM\n", Files.readString(marker), "the container got SIGTERM");
      assertEquals(404, api.get("/api/v1/namespaces/default/pods/graceful").status());
    }
  }

  @Test
  void failingLivenessProbeRestartsTheContainer() {
    create("""
        {"apiVersion":"v1","kind":"Pod","metadata":{"name":"hangs"},
         "spec":{"nodeName":"%s","terminationGracePeriodSeconds":1,"containers":[{"name":"app","image":"busybox",
           "command":["sleep","3600"],
           "livenessProbe":{"exec":{"command":["sh","-c","exit 1"]},"periodSeconds":1,"failureThreshold":2}}]}}"""
        .formatted(NODE));
    await().atMost(DEADLINE).until(() -> pod("hangs").path("status").path("containerStatuses").path(0)
        .path("restartCount").asInt() >= 1);
    JsonNode c = pod("hangs").path("status").path("containerStatuses").get(0);
    assertTrue(c.path("lastState").has("terminated"), c.toString());
  }

  @Test
  void runAsNonRootWithARootImageIsRefused() {
    create("""
        {"apiVersion":"v1","kind":"Pod","metadata":{"name":"nonroot"},
         "spec":{"nodeName":"%s","securityContext":{"runAsNonRoot":true},
           "containers":[{"name":"app","image":"busybox","command":["sleep","3600"]}]}}""".formatted(NODE));
    await().atMost(DEADLINE).until(() -> pod("nonroot").path("status").path("containerStatuses").path(0)
        .path("state").path("waiting").path("reason").asText().equals("CreateContainerConfigError"));
    assertEquals("container has runAsNonRoot and image will run as root", pod("nonroot").path("status")
        .path("containerStatuses").get(0).path("state").path("waiting").path("message").asText());
    assertEquals("Pending", pod("nonroot").path("status").path("phase").asText());
  }

  @Test
  void kubectlLogsFollowsAndExecRuns() throws Exception {
    Path kubectl = kubectl();
    create("""
        {"apiVersion":"v1","kind":"Pod","metadata":{"name":"talker"},
         "spec":{"nodeName":"%s","terminationGracePeriodSeconds":1,"containers":[{"name":"app","image":"busybox",
           "env":[{"name":"WHO","valueFrom":{"fieldRef":{"fieldPath":"metadata.name"}}}],
           "command":["sh","-c","i=0; while true; do echo \\"$WHO line $i\\"; i=$((i+1)); sleep 0.2; done"]}]}}"""
        .formatted(NODE));
    await().atMost(DEADLINE).until(() -> pod("talker").path("status").path("phase").asText().equals("Running"));
    Process follow = kubectl(kubectl, "logs", "-f", "talker").start();
    try (BufferedReader out = new BufferedReader(new InputStreamReader(follow.getInputStream(), StandardCharsets.UTF_8))) {
      List<String> lines = new ArrayList<>();
      long until = System.nanoTime() + DEADLINE.toNanos();
      while (lines.size() < 8 && System.nanoTime() < until) {
        String line = out.readLine();
        if (line == null) {
          break;
        }
        lines.add(line);
      }
      assertEquals(8, lines.size(), "followed lines: " + lines);
      assertTrue(lines.get(7).startsWith("talker line "), lines.toString());
      assertTrue(follow.isAlive(), "kubectl logs -f keeps following a running container");
    } finally {
      follow.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
    }
    Process tail = kubectl(kubectl, "logs", "--tail=2", "talker").start();
    String tailed = new String(tail.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(tail.waitFor(30, TimeUnit.SECONDS));
    assertEquals(2, tailed.lines().count(), tailed);
    Process exec = kubectl(kubectl, "exec", "talker", "--", "echo", "hi").redirectErrorStream(true).start();
    String said = new String(exec.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(exec.waitFor(30, TimeUnit.SECONDS));
    assertEquals("hi\n", said);
    assertEquals(0, exec.exitValue());
    Process fails = kubectl(kubectl, "exec", "talker", "--", "sh", "-c", "exit 3").redirectErrorStream(true).start();
    String failed = new String(fails.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(fails.waitFor(30, TimeUnit.SECONDS));
    assertEquals(3, fails.exitValue(), failed);
  }

  private Path kubectl() {
    for (String d : System.getenv().getOrDefault("PATH", "").split(":")) {
      Path candidate = Path.of(d.isEmpty() ? "." : d, "kubectl");
      if (Files.isExecutable(candidate)) {
        return candidate;
      }
    }
    assumeTrue(false, "no kubectl on PATH");
    return null;
  }

  private ProcessBuilder kubectl(Path binary, String... args) throws Exception {
    List<String> command = new ArrayList<>(List.of(binary.toString(), "--kubeconfig",
        PekkubeNode.kubeconfigPath(node.settings()).toString()));
    command.addAll(List.of(args));
    ProcessBuilder b = new ProcessBuilder(command);
    b.environment().put("HOME", Files.createDirectories(dir.resolve("kubectl-home")).toString());
    return b;
  }
}
