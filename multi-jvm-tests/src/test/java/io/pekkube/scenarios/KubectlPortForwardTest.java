package io.pekkube.scenarios;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pekkube.fixture.Kubectl;
import io.pekkube.fixture.Kubectl.Background;
import io.pekkube.fixture.Kubectl.Result;
import io.pekkube.fixture.KubectlServer;
import io.pekkube.fixture.ServerProcess;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@code kubectl port-forward} with the real kubectl against {@code ./pekkube server}: a pod serving
 * HTTP ({@code python3 -m http.server}) is reached through the forward, twice; a forwarded port nobody
 * listens on gets the kubelet's error on the connection's error stream, which kubectl prints. kubectl
 * on PATH (1.32) tunnels SPDY through a WebSocket; 1.27 upgrades the HTTP connection to SPDY/3.1.
 */
class KubectlPortForwardTest {
  private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  private static KubectlServer server;
  private static int podPort;

  @BeforeAll
  static void startServerAndPod() throws Exception {
    server = KubectlServer.start("kubectl-port-forward");
    Kubectl kubectl = server.kubectl("");
    podPort = ServerProcess.freePort();
    ok(kubectl, "run", "web", "--image=python", "--port=" + podPort, "--", "python3", "-m", "http.server",
        Integer.toString(podPort));
    ok(kubectl, "wait", "--for=condition=Ready", "pod/web", "--timeout=90s");
  }

  @AfterAll
  static void stopServer() throws Exception {
    if (server != null) {
      server.deletePodsAndClose();
    }
  }

  @ParameterizedTest(name = "kubectl {0}")
  @ValueSource(strings = {"", "1.27"})
  void portForwardReachesThePodAndReportsAPortNobodyListensOn(String version) throws Exception {
    Kubectl kubectl = server.kubectl(version);
    int local = ServerProcess.freePort();
    int unusedLocal = ServerProcess.freePort();
    int nobodyListens = ServerProcess.freePort();
    try (Background forward = kubectl.background("port-forward", "pod/web", local + ":" + podPort,
        unusedLocal + ":" + nobodyListens)) {
      String ready = "Forwarding from 127.0.0.1:" + unusedLocal + " -> " + nobodyListens;
      forward.awaitStdout(out -> out.contains(ready), Duration.ofSeconds(30));
      assertTrue(forward.stdout().contains("Forwarding from 127.0.0.1:" + local + " -> " + podPort),
          forward.describe());

      for (int i = 0; i < 2; i++) {
        HttpResponse<String> page = HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + local + "/"))
            .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, page.statusCode(), forward.describe());
        assertTrue(page.body().contains("Directory listing for /"), page.body());
      }
      assertEquals(2, count(forward.stdout(), "Handling connection for " + local), forward.describe());

      // The connection through the forward ends without an answer; kubectl prints the kubelet's error
      // and then, like against Kubernetes, gives up the whole forward ("lost connection to pod").
      assertEquals("", exchange(unusedLocal, "GET / HTTP/1.0\r\n\r\n"));
      String message = "an error occurred forwarding " + unusedLocal + " -> " + nobodyListens + ": error forwarding port "
          + nobodyListens + " to pod web_default, uid ";
      String all = forward.awaitOutput(out -> out.contains(message) && out.contains("lost connection to pod"),
          Duration.ofSeconds(30));
      assertTrue(all.contains(message), forward.describe());
      assertTrue(all.contains("dial tcp4 127.0.0.1:" + nobodyListens + ": connect: connection refused"),
          forward.describe());
      forward.process().waitFor();
      assertFalse(forward.process().isAlive());
    }
  }

  private static Result ok(Kubectl kubectl, String... args) throws Exception {
    Result r = kubectl.run(args);
    assertEquals(0, r.exit(), r.describe());
    return r;
  }

  /** Sends {@code request} on a new connection, returns everything received until the peer closes. */
  private static String exchange(int port, String request) throws IOException {
    try (Socket s = new Socket("127.0.0.1", port)) {
      s.setSoTimeout(10_000);
      OutputStream out = s.getOutputStream();
      out.write(request.getBytes(StandardCharsets.US_ASCII));
      out.flush();
      InputStream in = s.getInputStream();
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }

  private static int count(String text, String part) {
    int n = 0;
    for (int i = text.indexOf(part); i >= 0; i = text.indexOf(part, i + 1)) {
      n++;
    }
    return n;
  }
}
