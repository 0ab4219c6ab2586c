package io.pekkube.scenarios;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.pekkube.fixture.Kubectl;
import io.pekkube.fixture.KubectlServer;
import io.pekkube.fixture.Kubectl.Result;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * kubectl 1.27, 1.33 and the one on PATH against one server: {@code explain} reads the OpenAPI
 * documents, {@code create/apply/replace -f} with kubectl's default strict validation, and the
 * {@code kubectl create <kind>} commands that send protobuf bodies.
 */
class KubectlSchemaTest {
  private static KubectlServer server;
  private static final ObjectMapper JSON = new ObjectMapper();

  @BeforeAll
  static void startServer() throws Exception {
    server = KubectlServer.start("kubectl-schema");
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

  private static String suffix(String version) {
    return version.isEmpty() ? "path" : version.replace(".", "");
  }

  private static Result ok(Result r) {
    assertEquals(0, r.exit(), r.describe());
    return r;
  }

  @ParameterizedTest
  @ValueSource(strings = {"1.27", "1.33", ""})
  void explainPrintsTheFieldsOfANestedType(String version) throws Exception {
    Result r = ok(kubectl(version).run("explain", "pods.spec.containers"));
    assertTrue(r.out().contains("FIELD: containers <[]Container>"), r.describe());
    assertTrue(r.out().contains("livenessProbe"), r.describe());
    assertTrue(r.out().contains("volumeMounts"), r.describe());
    Result ports = ok(kubectl(version).run("explain", "deployments.spec.template.spec.containers.ports"));
    assertTrue(ports.out().contains("containerPort"), ports.describe());
  }

  @ParameterizedTest
  @ValueSource(strings = {"1.27", "1.33", ""})
  void strictValidationAcceptsAGoodManifestAndRejectsAnUnknownField(String version) throws Exception {
    Kubectl k = kubectl(version);
    String name = "strict-" + suffix(version);
    Path good = k.write(name + ".yaml", """
        apiVersion: v1
        kind: ConfigMap
        metadata:
          name: %s
        data:
          a: b
        """.formatted(name));
    ok(k.run("create", "-f", good.toString()));
    ok(k.run("replace", "-f", good.toString()));
    // apply of an object that does not exist yet creates it (a later apply is a PATCH).
    Path applied = k.write(name + "-applied.yaml", """
        apiVersion: v1
        kind: ConfigMap
        metadata:
          name: %s-applied
        data:
          a: b
        """.formatted(name));
    ok(k.run("apply", "-f", applied.toString()));

    Path bad = k.write(name + "-bad.yaml", """
        apiVersion: apps/v1
        kind: Deployment
        metadata:
          name: %s-bad
        spec:
          selector: {matchLabels: {app: x}}
          template:
            metadata: {labels: {app: x}}
            spec:
              containers:
              - name: c
                image: nginx
                imagePullPolicyy: Always
        """.formatted(name));
    Result rejected = k.run("create", "-f", bad.toString());
    assertNotEquals(0, rejected.exit(), rejected.describe());
    assertTrue(rejected.err().contains("strict decoding error: unknown field "
        + "\"spec.template.spec.containers[0].imagePullPolicyy\""), rejected.describe());
    Result absent = k.run("get", "deployment", name + "-bad");
    assertNotEquals(0, absent.exit(), absent.describe());
  }

  @ParameterizedTest
  @ValueSource(strings = {"1.27", "1.33", ""})
  void createCommandsSendProtobufAndTheObjectsAreStored(String version) throws Exception {
    Kubectl k = kubectl(version);
    String s = suffix(version);
    ok(k.run("create", "namespace", "ns-" + s));
    ok(k.run("create", "configmap", "cm-" + s, "-n", "ns-" + s, "--from-literal=a=b"));
    ok(k.run("create", "secret", "generic", "secret-" + s, "-n", "ns-" + s, "--from-literal=password=s3cr3t"));
    ok(k.run("create", "deployment", "web-" + s, "-n", "ns-" + s, "--image=nginx", "--replicas=2"));
    ok(k.run("create", "deployment", "idle-" + s, "-n", "ns-" + s, "--image=nginx", "--replicas=0"));
    ok(k.run("create", "service", "clusterip", "svc-" + s, "-n", "ns-" + s, "--tcp=80:8080"));
    ok(k.run("create", "job", "job-" + s, "-n", "ns-" + s, "--image=busybox"));
    ok(k.run("create", "role", "role-" + s, "-n", "ns-" + s, "--verb=get", "--resource=pods"));
    ok(k.run("create", "rolebinding", "rb-" + s, "-n", "ns-" + s, "--role=role-" + s, "--user=bob"));

    assertEquals("b", get(k, s, "configmap", "cm-" + s).path("data").path("a").asText());
    assertEquals("czNjcjN0", get(k, s, "secret", "secret-" + s).path("data").path("password").asText());
    JsonNode deployment = get(k, s, "deployment", "web-" + s);
    assertEquals(2, deployment.path("spec").path("replicas").asInt());
    assertEquals("nginx", deployment.path("spec").path("template").path("spec").path("containers").path(0)
        .path("image").asText());
    // replicas is a Go pointer: an explicit 0 travels in the protobuf and must not read as unset (1).
    JsonNode idle = get(k, s, "deployment", "idle-" + s).path("spec");
    assertTrue(idle.path("replicas").isInt() && idle.path("replicas").asInt() == 0, idle.toString());
    assertTrue(idle.path("minReadySeconds").isMissingNode(), idle.toString());
    JsonNode port = get(k, s, "service", "svc-" + s).path("spec").path("ports").path(0);
    assertEquals(80, port.path("port").asInt());
    assertEquals(8080, port.path("targetPort").asInt());
    assertEquals("busybox", get(k, s, "job", "job-" + s).path("spec").path("template").path("spec")
        .path("containers").path(0).path("image").asText());
    assertEquals(List.of("get"), JSON.convertValue(get(k, s, "role", "role-" + s).path("rules").path(0)
        .path("verbs"), List.class));
    assertEquals("bob", get(k, s, "rolebinding", "rb-" + s).path("subjects").path(0).path("name").asText());
  }

  private static JsonNode get(Kubectl k, String s, String kind, String name) throws Exception {
    return JSON.readTree(ok(k.run("get", kind, name, "-n", "ns-" + s, "-o", "json")).out());
  }
}
