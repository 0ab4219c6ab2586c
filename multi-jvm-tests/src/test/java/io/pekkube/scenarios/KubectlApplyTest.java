package io.pekkube.scenarios;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.pekkube.fixture.Kubectl;
import io.pekkube.fixture.Kubectl.Result;
import io.pekkube.fixture.ServerProcess;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * kubectl's patch and apply commands against one real server, for kubectl 1.27, 1.33 and the one on
 * PATH: client-side apply (three-way strategic merge, last-applied annotation), server-side apply with
 * its conflicts, patch in three types, label, annotate, edit, diff and rollout restart. Each version
 * works in its own namespace. {@code --validate=false}: strict validation needs OpenAPI, served elsewhere.
 */
class KubectlApplyTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  private static Path work;
  private static ServerProcess server;

  @BeforeAll
  static void startServer() throws Exception {
    Path root = ServerProcess.repositoryRoot();
    work = root.resolve("multi-jvm-tests").resolve("target").resolve("kubectl-apply-" + System.currentTimeMillis());
    server = ServerProcess.viaLauncherScript(work.resolve("data"), "embedded");
  }

  @AfterAll
  static void stopServer() throws Exception {
    if (server != null) {
      server.close();
    }
  }

  private static String suffix(String version) {
    return version.isEmpty() ? "path" : version.replace(".", "-");
  }

  private static Result ok(Result r) {
    assertEquals(0, r.exit(), r.describe());
    return r;
  }

  private static JsonNode get(Kubectl k, String ns, String what) throws Exception {
    return JSON.readTree(ok(k.run("get", what, "-n", ns, "-o", "json", "--show-managed-fields")).out());
  }

  private static Kubectl kubectl(String version, String ns) throws Exception {
    Kubectl k = new Kubectl(Kubectl.require(version), server, work.resolve("k-" + suffix(version)));
    Path file = k.write("ns.yaml", "apiVersion: v1\nkind: Namespace\nmetadata:\n  name: " + ns + "\n");
    ok(k.run("apply", "--validate=false", "-f", file.toString()));
    return k;
  }

  private static String configMap(String name, String data) {
    return "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: " + name + "\n  labels:\n    app: web\ndata:\n" + data;
  }

  @ParameterizedTest(name = "kubectl {0}")
  @ValueSource(strings = {"1.27", "1.33", ""})
  void clientSideApplyCreatesConfiguresAndLeavesUnchanged(String version) throws Exception {
    String ns = "csa-" + suffix(version);
    Kubectl k = kubectl(version, ns);
    Path file = k.write("cm.yaml", configMap("app", "  a: \"1\"\n  b: \"2\"\n"));
    assertEquals("configmap/app created", ok(k.run("apply", "--validate=false", "-n", ns, "-f", file.toString())).out().trim());
    assertEquals("configmap/app unchanged", ok(k.run("apply", "--validate=false", "-n", ns, "-f", file.toString())).out().trim());
    k.write("cm.yaml", configMap("app", "  a: \"10\"\n"));
    assertEquals("configmap/app configured", ok(k.run("apply", "--validate=false", "-n", ns, "-f", file.toString())).out().trim());
    JsonNode cm = get(k, ns, "configmap/app");
    assertEquals("{\"a\":\"10\"}", cm.path("data").toString(), "b was removed by the three-way merge");
    assertTrue(cm.path("metadata").path("annotations").has("kubectl.kubernetes.io/last-applied-configuration"));
    assertTrue(cm.path("metadata").path("managedFields").toString().contains("kubectl-client-side-apply"),
        cm.toString());

  }

  @ParameterizedTest(name = "kubectl {0}")
  @ValueSource(strings = {"1.27", "1.33", ""})
  void serverSideApplyConflictsAndForceConflicts(String version) throws Exception {
    String ns = "ssa-" + suffix(version);
    Kubectl k = kubectl(version, ns);
    Path file = k.write("ssa.yaml", configMap("ssa", "  a: \"1\"\n"));
    assertEquals("configmap/ssa serverside-applied",
        ok(k.run("apply", "--server-side", "--validate=false", "-n", ns, "-f", file.toString())).out().trim());
    assertEquals("configmap/ssa serverside-applied",
        ok(k.run("apply", "--server-side", "--validate=false", "-n", ns, "-f", file.toString())).out().trim());
    assertEquals("configmap/ssa patched",
        ok(k.run("patch", "configmap", "ssa", "-n", ns, "--type=merge", "-p", "{\"data\":{\"a\":\"mine\"}}")).out().trim());
    Result conflict = k.run("apply", "--server-side", "--validate=false", "-n", ns, "-f", file.toString());
    assertNotEquals(0, conflict.exit(), conflict.describe());
    assertTrue(conflict.err().contains("Apply failed with 1 conflict: conflict with \"kubectl-patch\" using v1: .data.a"),
        conflict.describe());
    assertEquals("mine", get(k, ns, "configmap/ssa").path("data").path("a").asText());
    ok(k.run("apply", "--server-side", "--force-conflicts", "--validate=false", "-n", ns, "-f", file.toString()));
    JsonNode cm = get(k, ns, "configmap/ssa");
    assertEquals("1", cm.path("data").path("a").asText());
    String managed = cm.path("metadata").path("managedFields").toString();
    assertTrue(managed.contains("\"manager\":\"kubectl\",\"operation\":\"Apply\""), managed);
  }

  @ParameterizedTest(name = "kubectl {0}")
  @ValueSource(strings = {"1.27", "1.33", ""})
  void patchLabelAnnotateEditAndRolloutRestart(String version) throws Exception {
    String ns = "edit-" + suffix(version);
    Kubectl k = kubectl(version, ns);
    Path file = k.write("cm.yaml", configMap("p", "  a: \"1\"\n"));
    ok(k.run("apply", "--validate=false", "-n", ns, "-f", file.toString()));
    assertEquals("configmap/p patched", ok(k.run("patch", "configmap", "p", "-n", ns, "--type=json",
        "-p", "[{\"op\":\"add\",\"path\":\"/data/j\",\"value\":\"json\"}]")).out().trim());
    assertEquals("configmap/p patched", ok(k.run("patch", "configmap", "p", "-n", ns,
        "-p", "{\"data\":{\"s\":\"strategic\"}}")).out().trim());
    assertEquals("configmap/p labeled", ok(k.run("label", "configmap", "p", "-n", ns, "tier=db")).out().trim());
    // kubectl 1.27 prints "annotate", later versions "annotated".
    assertTrue(ok(k.run("annotate", "configmap", "p", "-n", ns, "note=hi")).out().startsWith("configmap/p annotate"));
    Path editor = k.write("editor.sh", "#!/bin/sh\nsed -i 's/strategic/edited/' \"$1\"\n");
    Files.setPosixFilePermissions(editor, PosixFilePermissions.fromString("rwxr-xr-x"));
    assertEquals("configmap/p edited", ok(k.run(Map.of("EDITOR", editor.toString(), "KUBE_EDITOR", editor.toString()),
        "edit", "--validate=false", "configmap", "p", "-n", ns)).out().trim());
    JsonNode cm = get(k, ns, "configmap/p");
    assertEquals("json", cm.path("data").path("j").asText());
    assertEquals("edited", cm.path("data").path("s").asText());
    assertEquals("db", cm.path("metadata").path("labels").path("tier").asText());
    assertEquals("hi", cm.path("metadata").path("annotations").path("note").asText());
    String managed = cm.path("metadata").path("managedFields").toString();
    for (String manager : new String[] {"kubectl-label", "kubectl-annotate", "kubectl-edit"}) {
      assertTrue(managed.contains("\"" + manager + "\""), manager + " in " + managed);
    }

    Path deployment = k.write("deploy.yaml", "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\nspec:\n"
        + "  selector:\n    matchLabels:\n      app: web\n  template:\n    metadata:\n      labels:\n        app: web\n"
        + "    spec:\n      containers:\n      - name: web\n        image: nginx\n");
    ok(k.run("apply", "--validate=false", "-n", ns, "-f", deployment.toString()));
    assertEquals("deployment.apps/web restarted", ok(k.run("rollout", "restart", "deployment/web", "-n", ns)).out().trim());
    JsonNode d = get(k, ns, "deployment/web");
    assertTrue(d.path("spec").path("template").path("metadata").path("annotations")
        .has("kubectl.kubernetes.io/restartedAt"), d.toString());
    assertEquals("web", d.path("spec").path("template").path("spec").path("containers").path(0).path("name").asText());
  }

  /** kubectl 1.27's diff also downloads /openapi/v2 (protobuf); 1.33 and PATH need none. */
  @ParameterizedTest(name = "kubectl {0}")
  @ValueSource(strings = {"1.27", "1.33", ""})
  void diffShowsTheServerSideDryRunAndChangesNothing(String version) throws Exception {
    String ns = "diff-" + suffix(version);
    Kubectl k = kubectl(version, ns);
    Path file = k.write("cm.yaml", configMap("app", "  a: \"10\"\n"));
    ok(k.run("apply", "--validate=false", "-n", ns, "-f", file.toString()));
    k.write("cm.yaml", configMap("app", "  a: \"11\"\n"));
    Result diff = k.run("diff", "-n", ns, "-f", file.toString());
    assertEquals(1, diff.exit(), diff.describe());
    assertTrue(diff.out().contains("-  a: \"10\"") && diff.out().contains("+  a: \"11\""), diff.describe());
    assertEquals("10", get(k, ns, "configmap/app").path("data").path("a").asText(), "diff is a dry run");
  }
}
