package io.pekkube.scenarios;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pekkube.fixture.Kubectl;
import io.pekkube.fixture.Kubectl.Result;
import io.pekkube.fixture.KubectlServer;
import io.pekkube.fixture.ServerProcess;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The promise, end to end on a fresh {@code ./pekkube server} with the real kubectl: {@code kubectl
 * run web --image=python -- python3 -m http.server <port>} gives a Running, Ready pod whose process really
 * serves, whose logs {@code kubectl logs} shows, that {@code kubectl exec} reaches, and that comes back
 * when its process dies; and {@code kubectl delete pod} that stops a pod gracefully. The scheduler binds
 * the pods and the server's own kubelet runs them as OS processes.
 */
class KubectlRunTest {
  private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
  private static KubectlServer server;
  private static Kubectl kubectl;

  @BeforeAll
  static void startServer() throws Exception {
    server = KubectlServer.start("kubectl-run");
    kubectl = server.kubectl("");
  }

  @AfterAll
  static void stopServer() throws Exception {
    if (kubectl != null) {
      kubectl.run("delete", "pods", "--all", "--wait=true", "--timeout=60s");
    }
    if (server != null) {
      server.close();
    }
  }

  private static Result ok(String... args) throws Exception {
    Result r = kubectl.run(args);
    assertEquals(0, r.exit(), r.describe());
    return r;
  }

  @Test
  void kubectlRunGivesAPodThatServesLogsTakesExecAndComesBackWhenItsProcessDies() throws Exception {
    int port = ServerProcess.freePort();
    ok("run", "web", "--image=python", "--port=" + port, "--", "python3", "-m", "http.server", Integer.toString(port));
    ok("wait", "--for=condition=Ready", "pod/web", "--timeout=90s");
    Result get = ok("get", "pod", "web", "-o", "wide");
    assertTrue(get.out().contains("Running"), get.describe());

    // Without a readiness probe Ready means started, not listening: python may still be binding its port.
    await("the pod's process serving on port " + port).atMost(Duration.ofSeconds(30))
        .pollInterval(Duration.ofMillis(200)).until(() -> httpGet(port).orElse(-1) == 200);
    awaitLogContaining("GET / HTTP/1.1");

    Result exec = ok("exec", "web", "--", "echo", "hi");
    assertEquals("hi", exec.out().strip(), exec.describe());

    // Kill the container's process behind the kubelet's back: restartPolicy Always brings it back.
    ProcessHandle serving = servingProcess(port).orElseThrow(() -> new AssertionError("no process serves " + port));
    serving.destroyForcibly();
    await("the killed container restarted and serving").atMost(Duration.ofSeconds(90))
        .pollInterval(Duration.ofMillis(500)).until(() -> !restartCount().equals("0") && httpGet(port).orElse(-1) == 200);
    String restarts = restartCount();
    assertEquals("1", restarts, "restartCount after the process was killed");
    assertEquals(200, httpGet(port).orElse(-1), "the restarted process does not serve");
    ok("wait", "--for=condition=Ready", "pod/web", "--timeout=60s");
  }

  /**
   * {@code kubectl delete pod} of a running pod is graceful: kubectl prints {@code pod "term" deleted} and
   * waits while the pod shows Terminating with its deletionTimestamp; the kubelet sends SIGTERM (the
   * container's trap writes a marker and exits 3 s later), writes the final status and deletes the pod,
   * well within its 30 s grace period.
   */
  @Test
  void kubectlDeletePodTerminatesItGracefully() throws Exception {
    Path marker = Files.createTempDirectory(Path.of(System.getProperty("java.io.tmpdir")), "kubectl-delete-")
        .resolve("got-sigterm");
    ok("run", "term", "--image=busybox", "--command", "--", "sh", "-c",
        "trap 'echo TERM > " + marker + "; sleep 3; exit 0' TERM; while true; do sleep 0.2; done");
    ok("wait", "--for=condition=Ready", "pod/term", "--timeout=90s");
    long started = System.nanoTime();
    try (Kubectl.Background delete = kubectl.background("delete", "pod", "term", "--timeout=60s")) {
      String printed = delete.awaitStdout(o -> o.contains("pod \"term\" deleted"), Duration.ofSeconds(30));
      assertTrue(printed.contains("pod \"term\" deleted"), delete.describe());
      assertTrue(delete.process().isAlive(), "kubectl waits for the pod to be gone\n" + delete.describe());
      Result terminating = ok("get", "pod", "term");
      assertTrue(terminating.out().contains("Terminating"), terminating.describe());
      Result stamp = ok("get", "pod", "term", "-o",
          "jsonpath={.metadata.deletionTimestamp} {.metadata.deletionGracePeriodSeconds}");
      assertTrue(stamp.out().strip().matches("\\d{4}-\\d\\d-\\d\\dT\\S+Z 30"), stamp.describe());

      assertTrue(delete.process().waitFor(60, TimeUnit.SECONDS), delete.describe());
      assertEquals(0, delete.process().exitValue(), delete.describe());
    }
    double seconds = (System.nanoTime() - started) / 1e9;
    assertTrue(seconds < 20, "the pod took " + seconds + " s to go; its container exits 3 s after SIGTERM");
    assertEquals("TERM\n", Files.readString(marker), "the container got SIGTERM");
    Result gone = kubectl.run("get", "pod", "term");
    assertTrue(gone.exit() != 0 && gone.err().contains("pods \"term\" not found"), gone.describe());
  }

  @Test
  void podMountingAConfigMapAndASecretPrintsBothAndDescribeShowsTheKubeletsEvents() throws Exception {
    ok("create", "configmap", "greeting", "--from-literal=message=hello from a configmap");
    ok("create", "secret", "generic", "credentials", "--from-literal=password=s3cr3t");
    String mounts = kubectl.work().resolve("mounts").toString();
    Path manifest = kubectl.write("mounted.yaml", """
        apiVersion: v1
        kind: Pod
        metadata:
          name: mounted
        spec:
          restartPolicy: Never
          volumes:
          - name: config
            configMap:
              name: greeting
          - name: secret
            secret:
              secretName: credentials
          containers:
          - name: reader
            image: busybox
            command: ["sh", "-c", "cat %1$s/config/message; echo; cat %1$s/secret/password; echo"]
            volumeMounts:
            - name: config
              mountPath: %1$s/config
            - name: secret
              mountPath: %1$s/secret
              readOnly: true
        """.formatted(mounts));
    ok("apply", "-f", manifest.toString());
    await("pod mounted completed").atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(500))
        .until(() -> kubectl.run("get", "pod", "mounted", "-o", "jsonpath={.status.phase}").out().strip()
            .equals("Succeeded"));
    Result logs = ok("logs", "mounted");
    assertTrue(logs.out().contains("hello from a configmap"), logs.describe());
    assertTrue(logs.out().contains("s3cr3t"), logs.describe());

    Result describe = ok("describe", "pod", "mounted");
    for (String expected : List.of("Scheduled", "Pulled", "Created", "Started",
        "Container image \"busybox\" already present on machine", "Started container reader", "kubelet")) {
      assertTrue(describe.out().contains(expected), "describe lacks " + expected + ":\n" + describe.describe());
    }
  }

  private static String restartCount() throws Exception {
    return kubectl.run("get", "pod", "web", "-o", "jsonpath={.status.containerStatuses[0].restartCount}").out().strip();
  }

  private static void awaitLogContaining(String text) {
    await("kubectl logs web shows \"" + text + "\"").atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(300))
        .until(() -> {
          Result logs = kubectl.run("logs", "web");
          return logs.exit() == 0 && logs.out().contains(text);
        });
  }

  private static Optional<Integer> httpGet(int port) {
    try {
      HttpResponse<Void> r = HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/"))
          .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.discarding());
      return Optional.of(r.statusCode());
    } catch (Exception e) {
      return Optional.empty();
    }
  }

  private static Optional<ProcessHandle> servingProcess(int port) {
    List<String> wanted = List.of("http.server", Integer.toString(port));
    return ProcessHandle.allProcesses()
        .filter(p -> p.info().commandLine().map(c -> c.contains("python3") && wanted.stream().allMatch(c::contains))
            .orElse(false))
        .findFirst();
  }
}
