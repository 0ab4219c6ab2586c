package io.pekkube.cluster;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.typesafe.config.ConfigFactory;
import io.pekkube.cluster.settings.NodeSettings;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * OpenAPI documents and {@code fieldValidation} over real HTTP against a real node: the v3 index and
 * its hashed, immutable documents (301 for a stale hash, 304 for a matching ETag), v2 as JSON and as
 * protobuf, and Strict / Warn / Ignore on POST, PUT and every PATCH form.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class OpenApiAndFieldValidationApiTest {
  private static final String NS = "/api/v1/namespaces/fv/configmaps";
  private PekkubeNode node;
  private ApiHttp api;

  @BeforeAll
  void startNode() throws Exception {
    Path dir = Files.createTempDirectory(Path.of(System.getProperty("java.io.tmpdir")), "pekkube-openapi-");
    NodeSettings settings = new NodeSettings(dir, "127.0.0.1", 0, ApiContract.freePort(), List.of(),
        List.of("control-plane", "worker"), "embedded", "test-node");
    node = PekkubeNode.start(settings, ConfigFactory.empty());
    api = new ApiHttp(node.apiPort());
    assertEquals(201, api.post("/api/v1/namespaces", "{\"apiVersion\":\"v1\",\"kind\":\"Namespace\","
        + "\"metadata\":{\"name\":\"fv\"}}").status());
  }

  @AfterAll
  void stopNode() {
    if (node != null) {
      ApiContract.closeAndKillContainers(node);
    }
  }

  private static byte[] bytes(String s) {
    return s.replace('\'', '"').getBytes(StandardCharsets.UTF_8);
  }

  private static String configMap(String name, String extra) {
    return "{'apiVersion':'v1','kind':'ConfigMap','metadata':{'name':'" + name + "'},'data':{'a':'1'}" + extra + "}";
  }

  private ApiHttp.Reply post(String query, String body) {
    return api.send("POST", NS + query, "application/json", bytes(body));
  }

  // ---------------------------------------------------------------- OpenAPI

  @Test
  void v3IndexPointsAtHashedImmutableDocuments() {
    ApiHttp.Reply index = api.get("/openapi/v3");
    assertEquals(200, index.status(), index.raw());
    assertEquals("no-cache, private", index.header("Cache-Control"));
    String url = index.body().path("paths").path("api/v1").path("serverRelativeURL").asText();
    assertTrue(url.startsWith("/openapi/v3/api/v1?hash="), index.raw());
    assertTrue(index.body().path("paths").has("apis/apps/v1"), "every served group-version is listed");
    String hash = url.substring(url.indexOf("hash=") + 5);

    ApiHttp.Reply doc = api.get(url);
    assertEquals(200, doc.status());
    assertEquals("\"" + hash + "\"", doc.header("ETag"));
    assertEquals("public, immutable", doc.header("Cache-Control"));
    assertTrue(doc.body().path("openapi").asText().startsWith("3."), doc.raw().substring(0, 100));
    JsonNode pod = doc.body().path("components").path("schemas").path("io.k8s.api.core.v1.Pod");
    assertTrue(pod.path("properties").has("spec"), "the core group's document describes Pod");

    ApiHttp.Reply unhashed = api.get("/openapi/v3/api/v1");
    assertEquals(200, unhashed.status());
    assertEquals("no-cache, private", unhashed.header("Cache-Control"));

    ApiHttp.Reply stale = api.get("/openapi/v3/api/v1?hash=0123456789ABCDEF");
    assertEquals(301, stale.status());
    assertEquals(url, stale.header("Location"));

    ApiHttp.Reply unchanged = api.send("GET", "/openapi/v3/api/v1", null, null, "If-None-Match", "\"" + hash + "\"");
    assertEquals(304, unchanged.status());

    assertEquals(404, api.get("/openapi/v3/apis/nothing.example/v1").status());
  }

  @Test
  void v2IsJsonOrGnosticProtobuf() {
    ApiHttp.Reply json = api.send("GET", "/openapi/v2", null, null, "Accept", "application/json");
    assertEquals(200, json.status());
    assertEquals("2.0", json.body().path("swagger").asText());
    assertTrue(json.body().path("definitions").has("io.k8s.api.apps.v1.Deployment"));
    assertFalse(json.header("ETag").isEmpty());

    byte[] proto = api.getBytes("/openapi/v2", "application/com.github.proto-openapi.spec.v2@v1.0+protobuf");
    // gnostic openapi_v2.Document: field 1 (swagger) = "2.0" comes first.
    assertArrayEquals(new byte[] {0x0a, 0x03, '2', '.', '0'}, Arrays.copyOf(proto, 5));
    String text = new String(proto, StandardCharsets.ISO_8859_1);
    assertTrue(text.contains("io.k8s.api.apps.v1.Deployment"), "the protobuf form carries the definitions");

    assertEquals(406, api.send("GET", "/openapi/v2", null, null, "Accept", "text/html").status());
  }

  // ---------------------------------------------------------------- fieldValidation on POST and PUT

  @Test
  void strictRefusesUnknownAndDuplicateFieldsAndStoresNothing() {
    ApiHttp.Reply unknown = post("?fieldValidation=Strict", configMap("strict-a", ",'bogus':1"));
    assertEquals(400, unknown.status(), unknown.raw());
    assertEquals("BadRequest", unknown.body().path("reason").asText());
    assertEquals("ConfigMap in version \"v1\" cannot be handled as a ConfigMap: strict decoding error: "
        + "unknown field \"bogus\"", unknown.body().path("message").asText());
    assertEquals(404, api.get(NS + "/strict-a").status());

    ApiHttp.Reply duplicate = post("?fieldValidation=Strict",
        "{'apiVersion':'v1','kind':'ConfigMap','metadata':{'name':'strict-b'},'data':{'a':'1','a':'2'}}");
    assertEquals(400, duplicate.status(), duplicate.raw());
    assertEquals("ConfigMap in version \"v1\" cannot be handled as a ConfigMap: strict decoding error: "
        + "duplicate field \"data.a\"", duplicate.body().path("message").asText());
    assertEquals(404, api.get(NS + "/strict-b").status());

    assertEquals(400, post("?fieldValidation=Sometimes", configMap("strict-c", "")).status());
    assertEquals(404, api.get(NS + "/strict-c").status());
  }

  @Test
  void warnIsTheDefaultAndDropsTheUnknownField() {
    ApiHttp.Reply created = post("", configMap("warn-a", ",'bogus':1"));
    assertEquals(201, created.status(), created.raw());
    assertEquals(List.of("299 - \"unknown field \\\"bogus\\\"\""), created.headerValues("Warning"));
    assertFalse(api.get(NS + "/warn-a").body().has("bogus"));

    ApiHttp.Reply explicit = post("?fieldValidation=Warn", configMap("warn-b", ",'bogus':1"));
    assertEquals(List.of("299 - \"unknown field \\\"bogus\\\"\""), explicit.headerValues("Warning"));

    JsonNode live = api.get(NS + "/warn-a").body();
    String put = live.toString().replace("\"data\":{", "\"spec\":{\"x\":1},\"data\":{");
    ApiHttp.Reply updated = api.send("PUT", NS + "/warn-a", "application/json", put.getBytes(StandardCharsets.UTF_8));
    assertEquals(200, updated.status(), updated.raw());
    assertEquals(List.of("299 - \"unknown field \\\"spec\\\"\""), updated.headerValues("Warning"));
    assertFalse(api.get(NS + "/warn-a").body().has("spec"));
  }

  @Test
  void ignoreSaysNothing() {
    ApiHttp.Reply created = post("?fieldValidation=Ignore", configMap("ignore-a", ",'bogus':1"));
    assertEquals(201, created.status(), created.raw());
    assertEquals(List.of(), created.headerValues("Warning"));
    assertFalse(api.get(NS + "/ignore-a").body().has("bogus"));
  }

  // ---------------------------------------------------------------- fieldValidation on PATCH

  @Test
  void mergeAndStrategicPatchesValidateThePatchedObject() {
    assertEquals(201, post("", configMap("patch-a", "")).status());
    for (String type : List.of("application/merge-patch+json", "application/strategic-merge-patch+json")) {
      String rv = api.get(NS + "/patch-a").rv();
      ApiHttp.Reply strict = api.send("PATCH", NS + "/patch-a?fieldValidation=Strict", type,
          bytes("{'bogus':{'x':1},'data':{'b':'2'}}"));
      assertEquals(422, strict.status(), type + ": " + strict.raw());
      assertEquals("Invalid", strict.body().path("reason").asText());
      assertTrue(strict.body().path("message").asText().endsWith("strict decoding error: unknown field \"bogus\""),
          strict.raw());
      assertEquals("patch", strict.body().path("details").path("causes").path(0).path("field").asText());
      assertEquals(rv, api.get(NS + "/patch-a").rv(), "a refused patch changes nothing");

      ApiHttp.Reply warned = api.send("PATCH", NS + "/patch-a", type, bytes("{'bogus':{'x':1},'data':{'b':'2'}}"));
      assertEquals(200, warned.status(), warned.raw());
      assertEquals(List.of("299 - \"unknown field \\\"bogus\\\"\""), warned.headerValues("Warning"), type);
      JsonNode stored = api.get(NS + "/patch-a").body();
      assertFalse(stored.has("bogus"));
      assertEquals("2", stored.path("data").path("b").asText());

      ApiHttp.Reply duplicate = api.send("PATCH", NS + "/patch-a?fieldValidation=Strict", type,
          bytes("{'data':{'c':'1','c':'2'}}"));
      assertEquals(422, duplicate.status(), duplicate.raw());
      assertTrue(duplicate.body().path("message").asText().contains("duplicate field \"data.c\""), duplicate.raw());

      ApiHttp.Reply ignored = api.send("PATCH", NS + "/patch-a?fieldValidation=Ignore", type,
          bytes("{'bogus':1,'data':{'d':'4'}}"));
      assertEquals(200, ignored.status(), ignored.raw());
      assertEquals(List.of(), ignored.headerValues("Warning"));
      assertFalse(api.get(NS + "/patch-a").body().has("bogus"));
    }
  }

  @Test
  void jsonPatchValidatesThePatchedObject() {
    assertEquals(201, post("", configMap("patch-j", "")).status());
    String rv = api.get(NS + "/patch-j").rv();
    byte[] add = bytes("[{'op':'add','path':'/bogus','value':1}]");
    ApiHttp.Reply strict = api.send("PATCH", NS + "/patch-j?fieldValidation=Strict", "application/json-patch+json", add);
    assertEquals(422, strict.status(), strict.raw());
    assertEquals(rv, api.get(NS + "/patch-j").rv());
    ApiHttp.Reply warned = api.send("PATCH", NS + "/patch-j", "application/json-patch+json", add);
    assertEquals(200, warned.status(), warned.raw());
    assertEquals(List.of("299 - \"unknown field \\\"bogus\\\"\""), warned.headerValues("Warning"));
  }

  @Test
  void applyChecksDuplicateKeysOfTheConfiguration() {
    String yaml = "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: applied\ndata:\n  a: '1'\n  a: '2'\n";
    String path = NS + "/applied?fieldManager=test";
    ApiHttp.Reply strict = api.send("PATCH", path + "&fieldValidation=Strict", "application/apply-patch+yaml",
        yaml.getBytes(StandardCharsets.UTF_8));
    assertEquals(400, strict.status(), strict.raw());
    assertTrue(strict.body().path("message").asText().startsWith("error strict decoding YAML: "), strict.raw());
    assertEquals(404, api.get(NS + "/applied").status());

    ApiHttp.Reply warned = api.send("PATCH", path, "application/apply-patch+yaml", yaml.getBytes(StandardCharsets.UTF_8));
    assertEquals(201, warned.status(), warned.raw());
    assertEquals(List.of("299 - \"duplicate field \\\"data.a\\\"\""), warned.headerValues("Warning"));
    assertEquals("2", api.get(NS + "/applied").body().path("data").path("a").asText(), "the last key wins");
  }

  // ---------------------------------------------------------------- warnings for deprecated pod fields

  @Test
  void deprecatedNodeLabelsAndVolumesOfPodTemplatesAreWarnedAbout() {
    String deployment = "{'apiVersion':'apps/v1','kind':'Deployment','metadata':{'name':'old'},'spec':{"
        + "'selector':{'matchLabels':{'app':'old'}},'template':{'metadata':{'labels':{'app':'old'}},'spec':{"
        + "'nodeSelector':{'beta.kubernetes.io/os':'linux'},"
        + "'volumes':[{'name':'src','gitRepo':{'repository':'x'}}],"
        + "'containers':[{'name':'c','image':'i'}]}}}}";
    ApiHttp.Reply created = api.send("POST", "/apis/apps/v1/namespaces/fv/deployments", "application/json",
        bytes(deployment));
    assertEquals(201, created.status(), created.raw());
    assertEquals(List.of(
        "299 - \"spec.template.spec.nodeSelector[beta.kubernetes.io/os]: deprecated since v1.14; use "
            + "\\\"kubernetes.io/os\\\" instead\"",
        "299 - \"spec.template.spec.volumes[0].gitRepo: deprecated in v1.11\""), created.headerValues("Warning"));

    String pod = "{'apiVersion':'v1','kind':'Pod','metadata':{'name':'old'},'spec':{'affinity':{'nodeAffinity':{"
        + "'requiredDuringSchedulingIgnoredDuringExecution':{'nodeSelectorTerms':[{'matchExpressions':[{"
        + "'key':'failure-domain.beta.kubernetes.io/zone','operator':'In','values':['a']}]}]}}},"
        + "'containers':[{'name':'c','image':'i'}]}}";
    ApiHttp.Reply pods = api.send("POST", "/api/v1/namespaces/fv/pods", "application/json", bytes(pod));
    assertEquals(201, pods.status(), pods.raw());
    assertEquals(List.of("299 - \"spec.affinity.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution"
        + ".nodeSelectorTerms[0].matchExpressions[0].key: failure-domain.beta.kubernetes.io/zone is deprecated "
        + "since v1.17; use \\\"topology.kubernetes.io/zone\\\" instead\""), pods.headerValues("Warning"));

    assertEquals(List.of(), post("", configMap("no-template", "")).headerValues("Warning"));
  }
}
