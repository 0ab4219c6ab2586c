package io.pekkube.scenarios;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.pekkube.fixture.Kubectl;
import io.pekkube.fixture.Kubectl.Background;
import io.pekkube.fixture.Kubectl.Result;
import io.pekkube.fixture.ServerProcess;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * The real {@code kubectl} (the one on {@code PATH}) against a single-node server started the way a user
 * starts it: {@code ./pekkube server --store embedded}, with the kubeconfig the server writes.
 * Every kubectl run gets its own fresh {@code HOME}-based discovery cache directory for the suite, so
 * the first command really walks the legacy discovery documents.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class KubectlSmokeTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  private static Path root;
  private static Path work;
  private static Kubectl kubectl;
  private static ServerProcess server;

  @BeforeAll
  static void startServer() throws Exception {
    root = ServerProcess.repositoryRoot();
    work = root.resolve("multi-jvm-tests").resolve("target").resolve("kubectl-smoke-" + System.currentTimeMillis());
    server = ServerProcess.viaLauncherScript(work.resolve("data"), "embedded");
    assertTrue(Files.exists(server.kubeconfig()), "the server wrote no kubeconfig at " + server.kubeconfig());
    kubectl = new Kubectl(Kubectl.require(""), server, work);
  }

  @AfterAll
  static void stopServer() throws Exception {
    if (server != null) {
      server.close();
    }
  }

  // ---------------------------------------------------------------------------------------------
  // The launcher

  @Test
  @Order(1)
  void launcherHelpNamesTheCommandsAndEveryServerFlag() throws Exception {
    Result top = launcher("--help");
    assertEquals(0, top.exit(), top.describe());
    assertTrue(top.out().contains("server"), top.describe());
    assertTrue(top.out().contains("cassandra"), top.describe());

    Result serverHelp = launcher("server", "--help");
    assertEquals(0, serverHelp.exit(), serverHelp.describe());
    for (String flag : List.of("--data-dir", "--api-port", "--cluster-port", "--seed", "--roles", "--store",
        "--node-name")) {
      assertTrue(serverHelp.out().contains(flag), "`pekkube server --help` does not mention " + flag + "\n"
          + serverHelp.describe());
    }
  }

  // ---------------------------------------------------------------------------------------------
  // Discovery and version

  @Test
  @Order(2)
  void versionReachesTheServer() throws Exception {
    Result r = kubectl("version", "-o", "json");
    assertEquals(0, r.exit(), r.describe());
    JsonNode v = JSON.readTree(r.out());
    assertTrue(v.path("serverVersion").path("gitVersion").asText().startsWith("v1.32."), r.describe());
    assertEquals("1", v.path("serverVersion").path("major").asText(), r.describe());

    Result plain = kubectl("version");
    assertEquals(0, plain.exit(), plain.describe());
    assertTrue(plain.out().contains("Server Version: v1.32."), plain.describe());
  }

  @Test
  @Order(3)
  void apiResourcesWalksLegacyDiscovery() throws Exception {
    Result r = kubectl("api-resources");
    assertEquals(0, r.exit(), r.describe());
    Map<String, String> rows = r.lines().stream().skip(1)
        .collect(Collectors.toMap(l -> l.split("\\s+")[0] + " " + apiVersionColumn(l), l -> l, (a, b) -> a));
    assertTrue(rows.containsKey("configmaps v1"), r.describe());
    assertTrue(rows.get("configmaps v1").matches("configmaps\\s+cm\\s+v1\\s+true\\s+ConfigMap"), r.describe());
    assertTrue(rows.containsKey("deployments apps/v1"), r.describe());
    assertTrue(rows.get("deployments apps/v1").matches("deployments\\s+deploy\\s+apps/v1\\s+true\\s+Deployment"),
        r.describe());
    assertTrue(rows.containsKey("namespaces v1"), r.describe());
  }

  private static String apiVersionColumn(String line) {
    return Arrays.stream(line.split("\\s+")).filter(c -> c.equals("v1") || c.contains("/")).findFirst().orElse("?");
  }

  @Test
  @Order(4)
  void getNamespacesListsTheBuiltInOnes() throws Exception {
    Result r = kubectl("get", "ns");
    assertEquals(0, r.exit(), r.describe());
    List<String> lines = r.lines();
    assertTrue(lines.get(0).startsWith("NAME"), r.describe());
    List<String> names = lines.stream().skip(1).map(l -> l.split("\\s+")[0]).toList();
    assertTrue(names.containsAll(List.of("default", "kube-system", "kube-public", "kube-node-lease")), r.describe());
  }

  @Test
  @Order(5)
  void getRawNamespaces() throws Exception {
    Result r = kubectl("get", "--raw", "/api/v1/namespaces");
    assertEquals(0, r.exit(), r.describe());
    JsonNode list = JSON.readTree(r.out());
    assertEquals("NamespaceList", list.path("kind").asText(), r.describe());
    assertEquals("v1", list.path("apiVersion").asText(), r.describe());
    assertFalse(list.path("metadata").path("resourceVersion").asText().isEmpty(), r.describe());
    List<String> names = new ArrayList<>();
    list.path("items").forEach(i -> names.add(i.path("metadata").path("name").asText()));
    assertTrue(names.containsAll(List.of("default", "kube-system", "kube-public", "kube-node-lease")), r.describe());
  }

  // ---------------------------------------------------------------------------------------------
  // ConfigMaps: create, get, selectors, jsonpath, delete

  @Test
  @Order(10)
  void createGetAndDeleteAConfigMap() throws Exception {
    Result created = kubectl("create", "-f", configMapFile("smoke-crud", Map.of("app", "crud"),
        Map.of("k", "v1", "other", "two")).toString(), "--validate=false");
    assertEquals(0, created.exit(), created.describe());
    assertEquals("configmap/smoke-crud created", created.out().trim(), created.describe());

    Result got = kubectl("get", "configmap", "smoke-crud", "-o", "json");
    assertEquals(0, got.exit(), got.describe());
    JsonNode cm = JSON.readTree(got.out());
    assertEquals("ConfigMap", cm.path("kind").asText(), got.describe());
    assertEquals("default", cm.path("metadata").path("namespace").asText(), got.describe());
    assertEquals("v1", cm.path("data").path("k").asText(), got.describe());
    assertEquals("two", cm.path("data").path("other").asText(), got.describe());
    assertEquals("crud", cm.path("metadata").path("labels").path("app").asText(), got.describe());
    assertFalse(cm.path("metadata").path("uid").asText().isEmpty(), got.describe());
    String rv = cm.path("metadata").path("resourceVersion").asText();
    assertTrue(rv.matches("[0-9]+"), "resourceVersion " + rv + "\n" + got.describe());
    // kubectl shows what the server stores.
    JsonNode direct = JSON.readTree(http("GET", "/api/v1/namespaces/default/configmaps/smoke-crud", null).body());
    assertEquals(rv, direct.path("metadata").path("resourceVersion").asText());

    Result again = kubectl("create", "-f", configMapFile("smoke-crud", Map.of(), Map.of("k", "v9")).toString(),
        "--validate=false");
    assertEquals(1, again.exit(), again.describe());
    assertTrue(again.err().contains("AlreadyExists") || again.err().contains("already exists"), again.describe());

    Result deleted = kubectl("delete", "configmap", "smoke-crud");
    assertEquals(0, deleted.exit(), deleted.describe());
    assertEquals("configmap \"smoke-crud\" deleted", deleted.out().trim(), deleted.describe());

    Result gone = kubectl("get", "configmap", "smoke-crud");
    assertEquals(1, gone.exit(), gone.describe());
    assertTrue(gone.err().contains("NotFound") && gone.err().contains("\"smoke-crud\" not found"), gone.describe());
  }

  @Test
  @Order(11)
  void labelSelectorAndJsonPath() throws Exception {
    Path ns = namespaceFile("smoke-labels");
    Result nsCreated = kubectl("create", "-f", ns.toString(), "--validate=false");
    assertEquals(0, nsCreated.exit(), nsCreated.describe());
    for (String[] cm : new String[][] {{"cm-x1", "x", "one"}, {"cm-x2", "x", "two"}, {"cm-y", "y", "three"}}) {
      Result r = kubectl("-n", "smoke-labels", "create", "-f",
          configMapFile(cm[0], Map.of("app", cm[1]), Map.of("k", cm[2])).toString(), "--validate=false");
      assertEquals(0, r.exit(), r.describe());
    }

    Result x = kubectl("-n", "smoke-labels", "get", "configmaps", "-l", "app=x");
    assertEquals(0, x.exit(), x.describe());
    assertTrue(x.lines().get(0).startsWith("NAME"), x.describe());
    assertEquals(List.of("cm-x1", "cm-x2"), names(x), x.describe());

    Result notX = kubectl("-n", "smoke-labels", "get", "configmaps", "-l", "app!=x", "-o", "name");
    assertEquals(0, notX.exit(), notX.describe());
    assertEquals(List.of("configmap/cm-y"), notX.lines(), notX.describe());

    Result set = kubectl("-n", "smoke-labels", "get", "cm", "-l", "app in (x,y)", "-o", "name");
    assertEquals(0, set.exit(), set.describe());
    assertEquals(List.of("configmap/cm-x1", "configmap/cm-x2", "configmap/cm-y"), set.lines(), set.describe());

    Result none = kubectl("-n", "smoke-labels", "get", "configmaps", "-l", "app=nope");
    assertEquals(0, none.exit(), none.describe());
    assertEquals("", none.out().trim(), none.describe());
    assertTrue(none.err().contains("No resources found in smoke-labels namespace"), none.describe());

    Result field = kubectl("-n", "smoke-labels", "get", "cm", "--field-selector", "metadata.name=cm-y", "-o", "name");
    assertEquals(0, field.exit(), field.describe());
    assertEquals(List.of("configmap/cm-y"), field.lines(), field.describe());

    Result jsonPath = kubectl("-n", "smoke-labels", "get", "cm", "cm-x2", "-o", "jsonpath={.data.k}");
    assertEquals(0, jsonPath.exit(), jsonPath.describe());
    assertEquals("two", jsonPath.out(), jsonPath.describe());

    Result listPath = kubectl("-n", "smoke-labels", "get", "cm", "-l", "app=x",
        "-o", "jsonpath={range .items[*]}{.metadata.name}={.data.k};{end}");
    assertEquals(0, listPath.exit(), listPath.describe());
    assertEquals("cm-x1=one;cm-x2=two;", listPath.out(), listPath.describe());

    // kubectl pages through a list with limit/continue when asked for small chunks.
    Result chunked = kubectl("-n", "smoke-labels", "get", "cm", "--chunk-size=1", "-o", "name");
    assertEquals(0, chunked.exit(), chunked.describe());
    assertEquals(List.of("configmap/cm-x1", "configmap/cm-x2", "configmap/cm-y"), chunked.lines(),
        chunked.describe());

    Result allNs = kubectl("get", "cm", "-A", "-l", "app=y");
    assertEquals(0, allNs.exit(), allNs.describe());
    assertTrue(allNs.lines().get(0).startsWith("NAMESPACE"), allNs.describe());
    assertTrue(allNs.lines().stream().anyMatch(l -> l.matches("smoke-labels\\s+cm-y\\s+.*")), allNs.describe());
  }

  @Test
  @Order(12)
  void serverSideDryRunChangesNothing() throws Exception {
    Path file = configMapFile("smoke-dry", Map.of("app", "dry"), Map.of("k", "v1"));
    Result dryCreate = kubectl("create", "-f", file.toString(), "--validate=false", "--dry-run=server");
    assertEquals(0, dryCreate.exit(), dryCreate.describe());
    assertTrue(dryCreate.out().contains("configmap/smoke-dry created (server dry run)"), dryCreate.describe());
    assertEquals(404, http("GET", "/api/v1/namespaces/default/configmaps/smoke-dry", null).statusCode());

    Result created = kubectl("create", "-f", file.toString(), "--validate=false");
    assertEquals(0, created.exit(), created.describe());
    // kubectl sends the dry run of a delete in the DeleteOptions body ({"dryRun":["All"]}), not in the query.
    Result dryDelete = kubectl("delete", "configmap", "smoke-dry", "--dry-run=server");
    assertEquals(0, dryDelete.exit(), dryDelete.describe());
    assertTrue(dryDelete.out().contains("configmap \"smoke-dry\" deleted (server dry run)"), dryDelete.describe());
    Result still = kubectl("get", "configmap", "smoke-dry", "-o", "jsonpath={.data.k}");
    assertEquals(0, still.exit(), "a server-side dry-run delete deleted the object\n" + still.describe());
    assertEquals("v1", still.out(), still.describe());

    Result deleted = kubectl("delete", "configmap", "smoke-dry");
    assertEquals(0, deleted.exit(), deleted.describe());
  }

  // ---------------------------------------------------------------------------------------------
  // Watch

  @Test
  @Order(20)
  void getWatchShowsCreatesAndUpdates() throws Exception {
    createNamespace("smoke-watch");
    try (Background watch = background("-n", "smoke-watch", "get", "configmaps", "-w")) {
      // With nothing to list kubectl prints "No resources found" to stderr, then waits for events.
      watch.awaitOutput(o -> !o.isEmpty(), Duration.ofSeconds(2));

      Result created = kubectl("-n", "smoke-watch", "create", "-f",
          configMapFile("watched", Map.of(), Map.of("k", "v1")).toString(), "--validate=false");
      assertEquals(0, created.exit(), created.describe());
      String afterCreate = watch.awaitStdout(o -> rows(o, "watched") >= 1, Duration.ofSeconds(15));
      assertTrue(rows(afterCreate, "watched") >= 1, "the watch did not show the created ConfigMap\n" + watch.describe());

      // An update through plain HTTP: the watch prints the object's row again.
      HttpResponse<String> put = http("PUT", "/api/v1/namespaces/smoke-watch/configmaps/watched",
          "{\"apiVersion\":\"v1\",\"kind\":\"ConfigMap\",\"metadata\":{\"name\":\"watched\",\"namespace\":\"smoke-watch\"},"
              + "\"data\":{\"k\":\"v2\"}}");
      assertEquals(200, put.statusCode(), put.body());
      String afterUpdate = watch.awaitStdout(o -> rows(o, "watched") >= 2, Duration.ofSeconds(15));
      assertTrue(rows(afterUpdate, "watched") >= 2, "the watch did not show the update\n" + watch.describe());
      assertTrue(watch.process().isAlive(), "kubectl get -w ended by itself\n" + watch.describe());
    }
  }

  @Test
  @Order(21)
  void getWatchWithEventTypesShowsAddedModifiedDeleted() throws Exception {
    createNamespace("smoke-watch-events");
    Result seed = kubectl("-n", "smoke-watch-events", "create", "-f",
        configMapFile("before", Map.of(), Map.of("k", "v0")).toString(), "--validate=false");
    assertEquals(0, seed.exit(), seed.describe());
    try (Background watch = background("-n", "smoke-watch-events", "get", "configmaps", "-w", "--output-watch-events")) {
      String first = watch.awaitStdout(o -> o.contains("before"), Duration.ofSeconds(10));
      assertTrue(first.lines().anyMatch(l -> l.matches("ADDED\\s+before\\s+.*")), watch.describe());

      Result created = kubectl("-n", "smoke-watch-events", "create", "-f",
          configMapFile("moving", Map.of(), Map.of("k", "v1")).toString(), "--validate=false");
      assertEquals(0, created.exit(), created.describe());
      HttpResponse<String> put = http("PUT", "/api/v1/namespaces/smoke-watch-events/configmaps/moving",
          "{\"apiVersion\":\"v1\",\"kind\":\"ConfigMap\",\"metadata\":{\"name\":\"moving\"},\"data\":{\"k\":\"v2\"}}");
      assertEquals(200, put.statusCode(), put.body());
      Result deleted = kubectl("-n", "smoke-watch-events", "delete", "configmap", "moving");
      assertEquals(0, deleted.exit(), deleted.describe());

      String out = watch.awaitStdout(o -> o.lines().anyMatch(l -> l.matches("DELETED\\s+moving\\s+.*")),
          Duration.ofSeconds(15));
      List<String> events = out.lines().filter(l -> l.contains(" moving ")).map(l -> l.split("\\s+")[0]).toList();
      assertEquals(List.of("ADDED", "MODIFIED", "DELETED"), events, watch.describe());
    }
  }

  /**
   * {@code kubectl get -w} on a quiet namespace stays connected past Pekko HTTP's default idle timeout
   * (60 s): a watch ends by its timeoutSeconds, not by silence, as against Kubernetes.
   */
  @Test
  @Order(22)
  void aQuietWatchOutlivesTheHttpIdleTimeout() throws Exception {
    createNamespace("smoke-quiet");
    try (Background watch = background("-n", "smoke-quiet", "get", "configmaps", "-w")) {
      watch.awaitOutput(o -> !o.isEmpty(), Duration.ofSeconds(5));
      TimeUnit.SECONDS.sleep(70);
      assertTrue(watch.process().isAlive(), "kubectl get -w ended while nothing changed\n" + watch.describe());
      Result created = kubectl("-n", "smoke-quiet", "create", "-f",
          configMapFile("late", Map.of(), Map.of("k", "v1")).toString(), "--validate=false");
      assertEquals(0, created.exit(), created.describe());
      String out = watch.awaitStdout(o -> rows(o, "late") >= 1, Duration.ofSeconds(15));
      assertTrue(rows(out, "late") >= 1, "the quiet watch missed a create after 70 s\n" + watch.describe());
    }
  }

  // ---------------------------------------------------------------------------------------------
  // A second start on the same data directory

  @Test
  @Order(100)
  void aRestartedServerStillHasTheConfigMap() throws Exception {
    Result created = kubectl("create", "-f", configMapFile("survivor", Map.of("app", "survivor"),
        Map.of("k", "kept")).toString(), "--validate=false");
    assertEquals(0, created.exit(), created.describe());
    String uid = kubectl("get", "cm", "survivor", "-o", "jsonpath={.metadata.uid}").out();

    server.stop();
    server.restart();

    Result got = kubectl("get", "configmap", "survivor", "-o", "json");
    assertEquals(0, got.exit(), got.describe() + "\nserver log:\n" + server.tail());
    JsonNode cm = JSON.readTree(got.out());
    assertEquals("kept", cm.path("data").path("k").asText(), got.describe());
    assertEquals(uid, cm.path("metadata").path("uid").asText(), got.describe());
    Result listed = kubectl("get", "configmaps", "-l", "app=survivor", "-o", "name");
    assertEquals(List.of("configmap/survivor"), listed.lines(), listed.describe());
    Result labelled = kubectl("-n", "smoke-labels", "get", "cm", "-l", "app=x", "-o", "name");
    assertEquals(List.of("configmap/cm-x1", "configmap/cm-x2"), labelled.lines(), labelled.describe());
  }

  // ---------------------------------------------------------------------------------------------
  // Helpers

  private static List<String> names(Result r) {
    return r.names();
  }

  private static long rows(String output, String name) {
    return output.lines().filter(l -> l.split("\\s+")[0].equals(name)).count();
  }

  private static Result kubectl(String... args) throws Exception {
    return kubectl.run(args);
  }

  private static Result launcher(String... args) throws Exception {
    Path out = work.resolve("launcher-" + (++launches) + ".out");
    Path err = work.resolve("launcher-" + launches + ".err");
    List<String> cmd = new ArrayList<>();
    cmd.add(root.resolve("pekkube").toString());
    cmd.addAll(List.of(args));
    ProcessBuilder pb = new ProcessBuilder(cmd).directory(work.toFile())
        .redirectOutput(out.toFile()).redirectError(err.toFile());
    pb.environment().put("PEKKUBE_NO_BUILD", "1");
    Process p = pb.start();
    if (!p.waitFor(60, TimeUnit.SECONDS)) {
      p.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
      throw new AssertionError("timed out: " + String.join(" ", cmd));
    }
    return new Result(cmd, p.exitValue(), Files.readString(out), Files.readString(err));
  }

  private static int launches;

  private static Background background(String... args) throws Exception {
    return kubectl.background(args);
  }

  private static void createNamespace(String name) throws Exception {
    Result r = kubectl("create", "-f", namespaceFile(name).toString(), "--validate=false");
    assertEquals(0, r.exit(), r.describe());
  }

  private static Path namespaceFile(String name) throws IOException {
    return write("ns-" + name + ".json", "{\"apiVersion\":\"v1\",\"kind\":\"Namespace\",\"metadata\":{\"name\":\""
        + name + "\"}}");
  }

  private static int files;

  private static Path configMapFile(String name, Map<String, String> labels, Map<String, String> data)
      throws IOException {
    var cm = JSON.createObjectNode();
    cm.put("apiVersion", "v1");
    cm.put("kind", "ConfigMap");
    var meta = cm.putObject("metadata");
    meta.put("name", name);
    if (!labels.isEmpty()) {
      var l = meta.putObject("labels");
      labels.forEach(l::put);
    }
    var d = cm.putObject("data");
    data.forEach(d::put);
    return write("cm-" + name + "-" + (++files) + ".json", JSON.writerWithDefaultPrettyPrinter().writeValueAsString(cm));
  }

  private static Path write(String fileName, String content) throws IOException {
    return kubectl.write(fileName, content);
  }

  private static HttpResponse<String> http(String method, String path, String jsonBody) throws Exception {
    return kubectl.http(method, path, "application/json", jsonBody);
  }
}
