package io.pekkube.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.typesafe.config.ConfigFactory;
import io.pekkube.actors.api.Json;
import io.pekkube.cluster.settings.NodeSettings;
import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Content negotiation over real HTTP against a real node: Tables on GET, LIST and WATCH
 * ({@code Accept: application/json;as=Table;g=meta.k8s.io;v=v1}) and aggregated discovery
 * ({@code Accept: application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList}).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class TablesAndDiscoveryApiTest {
  static final String TABLE = "application/json;as=Table;v=v1;g=meta.k8s.io,"
      + "application/json;as=Table;v=v1beta1;g=meta.k8s.io,application/json";
  static final String AGGREGATED = "application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList,"
      + "application/json;g=apidiscovery.k8s.io;v=v2beta1;as=APIGroupDiscoveryList,application/json";

  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  private PekkubeNode node;
  private ApiHttp api;
  private String base;

  @BeforeAll
  void startNode() throws Exception {
    Path dir = Files.createTempDirectory(Path.of(System.getProperty("java.io.tmpdir")), "pekkube-tables-");
    NodeSettings settings = new NodeSettings(dir, "127.0.0.1", 0, ApiContract.freePort(), List.of(),
        List.of("control-plane", "worker"), "embedded", "test-node");
    node = PekkubeNode.start(settings, ConfigFactory.empty());
    api = new ApiHttp(node.apiPort());
    base = "http://127.0.0.1:" + node.apiPort();
    assertEquals(201, api.post("/api/v1/namespaces", "{\"apiVersion\":\"v1\",\"kind\":\"Namespace\","
        + "\"metadata\":{\"name\":\"tables\"}}").status());
  }

  @AfterAll
  void stopNode() {
    if (node != null) {
      ApiContract.closeAndKillContainers(node);
    }
  }

  private HttpResponse<String> get(String path, String accept) throws Exception {
    return http.send(HttpRequest.newBuilder(URI.create(base + path)).header("Accept", accept)
        .timeout(Duration.ofSeconds(30)).GET().build(), HttpResponse.BodyHandlers.ofString());
  }

  private JsonNode json(HttpResponse<String> r) throws Exception {
    assertEquals(200, r.statusCode(), r.body());
    return Json.MAPPER.readTree(r.body());
  }

  private void createConfigMap(String name, int keys) {
    StringBuilder data = new StringBuilder();
    for (int i = 0; i < keys; i++) {
      data.append(i == 0 ? "" : ",").append("\"k").append(i).append("\":\"v\"");
    }
    ApiHttp.Reply r = api.post("/api/v1/namespaces/tables/configmaps", "{\"apiVersion\":\"v1\",\"kind\":\"ConfigMap\","
        + "\"metadata\":{\"name\":\"" + name + "\",\"labels\":{\"app\":\"t\"}},\"data\":{" + data + "}}");
    assertEquals(201, r.status(), r.raw());
  }

  @Test
  void listAsTableHasColumnsRowsWithPartialMetadataAndTheListRevision() throws Exception {
    createConfigMap("list-a", 2);
    createConfigMap("list-b", 1);
    JsonNode table = json(get("/api/v1/namespaces/tables/configmaps?labelSelector=app%3Dt", TABLE));
    assertEquals("Table", table.path("kind").asText());
    assertEquals("meta.k8s.io/v1", table.path("apiVersion").asText());
    assertEquals("Name", table.path("columnDefinitions").path(0).path("name").asText());
    assertEquals("name", table.path("columnDefinitions").path(0).path("format").asText());
    assertEquals("Data", table.path("columnDefinitions").path(1).path("name").asText());
    assertEquals("Age", table.path("columnDefinitions").path(2).path("name").asText());
    String plainRv = json(get("/api/v1/namespaces/tables/configmaps", "application/json")).path("metadata")
        .path("resourceVersion").asText();
    assertTrue(Long.parseLong(table.path("metadata").path("resourceVersion").asText()) <= Long.parseLong(plainRv));
    JsonNode rowA = row(table, "list-a");
    assertEquals(2, rowA.path("cells").path(1).asInt());
    assertEquals("PartialObjectMetadata", rowA.path("object").path("kind").asText());
    assertEquals("meta.k8s.io/v1", rowA.path("object").path("apiVersion").asText());
    assertEquals("tables", rowA.path("object").path("metadata").path("namespace").asText());
    assertTrue(rowA.path("object").path("data").isMissingNode());
    assertEquals(1, row(table, "list-b").path("cells").path(1).asInt());

    JsonNode full = json(get("/api/v1/namespaces/tables/configmaps?includeObject=Object", TABLE));
    assertEquals("v", row(full, "list-a").path("object").path("data").path("k0").asText());
    JsonNode none = json(get("/api/v1/namespaces/tables/configmaps?includeObject=None", TABLE));
    assertTrue(row(none, "list-a").path("object").isNull());

    JsonNode page = json(get("/api/v1/namespaces/tables/configmaps?limit=1", TABLE));
    assertEquals(1, page.path("rows").size());
    assertFalse(page.path("metadata").path("continue").asText().isEmpty(), page.toString());

    JsonNode beta = json(get("/api/v1/namespaces/tables/configmaps",
        "application/json;as=Table;v=v1beta1;g=meta.k8s.io"));
    assertEquals("meta.k8s.io/v1beta1", beta.path("apiVersion").asText());
  }

  @Test
  void getAsTableIsOneRowAndPlainJsonStaysTheObject() throws Exception {
    createConfigMap("single", 3);
    JsonNode table = json(get("/api/v1/namespaces/tables/configmaps/single", TABLE));
    assertEquals("Table", table.path("kind").asText());
    assertEquals(1, table.path("rows").size());
    assertEquals("single", table.path("rows").path(0).path("cells").path(0).asText());
    assertEquals(3, table.path("rows").path(0).path("cells").path(1).asInt());
    JsonNode plain = json(get("/api/v1/namespaces/tables/configmaps/single", "application/json"));
    assertEquals("ConfigMap", plain.path("kind").asText());
    assertEquals(plain.path("metadata").path("resourceVersion").asText(),
        table.path("metadata").path("resourceVersion").asText());
  }

  @Test
  void badTableRequestsAreStatuses() throws Exception {
    HttpResponse<String> badInclude = get("/api/v1/namespaces/tables/configmaps?includeObject=All", TABLE);
    assertEquals(400, badInclude.statusCode(), badInclude.body());
    assertEquals("BadRequest", Json.MAPPER.readTree(badInclude.body()).path("reason").asText());
    HttpResponse<String> unserved = get("/api/v1/namespaces/tables/configmaps",
        "application/json;as=Table;v=v7;g=meta.k8s.io");
    assertEquals(406, unserved.statusCode(), unserved.body());
    assertEquals("NotAcceptable", Json.MAPPER.readTree(unserved.body()).path("reason").asText());
  }

  @Test
  void watchAsTableSendsOneRowPerEventAndColumnsOnlyFirst() throws Exception {
    String rv = json(get("/api/v1/namespaces/tables/configmaps", "application/json")).path("metadata")
        .path("resourceVersion").asText();
    HttpResponse<InputStream> r = http.send(HttpRequest.newBuilder(URI.create(base
            + "/api/v1/namespaces/tables/configmaps?watch=true&resourceVersion=" + rv))
        .header("Accept", TABLE).GET().build(), HttpResponse.BodyHandlers.ofInputStream());
    assertEquals(200, r.statusCode());
    BlockingQueue<JsonNode> events = new LinkedBlockingQueue<>();
    Thread reader = new Thread(() -> {
      try (BufferedReader in = new BufferedReader(new InputStreamReader(r.body(), StandardCharsets.UTF_8))) {
        for (String line = in.readLine(); line != null; line = in.readLine()) {
          if (!line.isBlank()) {
            events.add(Json.MAPPER.readTree(line));
          }
        }
      } catch (Exception closed) {
        // the test closed the stream
      }
    }, "table-watch-reader");
    reader.setDaemon(true);
    reader.start();
    try {
      createConfigMap("watched-1", 1);
      createConfigMap("watched-2", 2);
      JsonNode first = events.poll(15, TimeUnit.SECONDS);
      JsonNode second = events.poll(15, TimeUnit.SECONDS);
      assertNotNull(first, "no first watch event");
      assertNotNull(second, "no second watch event");
      assertEquals("ADDED", first.path("type").asText());
      assertEquals("Table", first.path("object").path("kind").asText());
      assertEquals(3, first.path("object").path("columnDefinitions").size());
      assertEquals(1, first.path("object").path("rows").size());
      assertEquals("watched-1", first.path("object").path("rows").path(0).path("cells").path(0).asText());
      assertEquals("PartialObjectMetadata", first.path("object").path("rows").path(0).path("object").path("kind")
          .asText());
      assertTrue(second.path("object").path("columnDefinitions").isNull(), second.toString());
      assertEquals("watched-2", second.path("object").path("rows").path(0).path("cells").path(0).asText());
      assertEquals(2, second.path("object").path("rows").path(0).path("cells").path(1).asInt());
    } finally {
      r.body().close();
    }
  }

  @Test
  void aggregatedDiscoveryIsServedOnAskAndLegacyOtherwise() throws Exception {
    HttpResponse<String> apis = get("/apis", AGGREGATED);
    assertEquals(200, apis.statusCode());
    String contentType = apis.headers().firstValue("Content-Type").orElse("").replace(" ", "");
    for (String param : List.of("application/json", "g=apidiscovery.k8s.io", "v=v2", "as=APIGroupDiscoveryList")) {
      assertTrue(contentType.contains(param), contentType);
    }
    JsonNode list = json(apis);
    assertEquals("APIGroupDiscoveryList", list.path("kind").asText());
    assertEquals("apidiscovery.k8s.io/v2", list.path("apiVersion").asText());
    assertEquals("apps", list.path("items").path(0).path("metadata").path("name").asText());

    HttpResponse<String> core = get("/api", "application/json;g=apidiscovery.k8s.io;v=v2beta1;"
        + "as=APIGroupDiscoveryList,application/json");
    assertTrue(core.headers().firstValue("Content-Type").orElse("").contains("v2beta1"));
    JsonNode coreList = json(core);
    assertEquals("apidiscovery.k8s.io/v2beta1", coreList.path("apiVersion").asText());
    assertEquals("v1", coreList.path("items").path(0).path("versions").path(0).path("version").asText());

    assertEquals("APIGroupList", json(get("/apis", "application/json")).path("kind").asText());
    assertEquals("APIVersions", json(get("/api", "application/json")).path("kind").asText());
  }

  private static JsonNode row(JsonNode table, String name) {
    for (JsonNode row : table.path("rows")) {
      if (row.path("cells").path(0).asText().equals(name)) {
        return row;
      }
    }
    throw new AssertionError("no row " + name + " in " + table);
  }
}
