package io.pekkube.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.typesafe.config.ConfigFactory;
import io.pekkube.cluster.settings.NodeSettings;
import io.pekkube.node.runtime.ProcessRuntime;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The REST and storage guarantees of the API, over real HTTP against a real node. The same
 * contract runs on every store (see the subclasses).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
public abstract class ApiContract implements PatchContract {
  /** Small so that the 410 window can be passed in a test. */
  static final int WINDOW = 2000;

  PekkubeNode node;
  ApiHttp api;

  abstract String store();

  @Override
  public ApiHttp api() {
    return api;
  }

  @BeforeAll
  void startNode() throws Exception {
    Path dir = Files.createTempDirectory(Path.of(System.getProperty("java.io.tmpdir")), "pekkube-api-");
    NodeSettings settings = new NodeSettings(dir, "127.0.0.1", 0, freePort(), List.of(),
        List.of("control-plane", "worker"), store(), "test-node");
    node = PekkubeNode.start(settings, ConfigFactory.parseString("pekkube.hub.window-size = " + WINDOW
        // Every message between actors goes through its serializer (Kryo), as it would between nodes.
        + "\npekko.actor.serialize-messages = on"
        // Pods stay as the tests write them: this contract is about the API, not about scheduling.
        + "\npekkube.scheduler.enabled = off"));
    api = new ApiHttp(node.apiPort());
  }

  @AfterAll
  void stopNode() {
    if (node != null) {
      closeAndKillContainers(node);
    }
  }

  /**
   * Closes an in-process node and kills what its kubelet still runs: a kubelet leaves its containers
   * running when it stops (a restarted one adopts them), and a test must not leave processes behind.
   */
  static void closeAndKillContainers(PekkubeNode node) {
    node.close();
    ProcessRuntime.killAllUnder(node.settings().dataDir().resolve("runtime"));
  }

  static int freePort() throws Exception {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }

  static String configMap(String name, String data) {
    return "{\"apiVersion\":\"v1\",\"kind\":\"ConfigMap\",\"metadata\":{\"name\":\"" + name
        + "\",\"labels\":{\"app\":\"web\"}},\"data\":{\"k\":\"" + data + "\"}}";
  }

  public String newNamespace(String prefix) {
    String name = prefix + "-" + Long.toHexString(System.nanoTime()).substring(6);
    ApiHttp.Reply r = api.post("/api/v1/namespaces",
        "{\"apiVersion\":\"v1\",\"kind\":\"Namespace\",\"metadata\":{\"name\":\"" + name + "\"}}");
    assertEquals(201, r.status(), r.raw());
    return name;
  }

  // ---- CRUD ----

  @Test
  void initialNamespacesExist() {
    ApiHttp.Reply r = api.get("/api/v1/namespaces");
    assertEquals(200, r.status());
    Set<String> names = new HashSet<>();
    r.body().path("items").forEach(i -> names.add(i.path("metadata").path("name").asText()));
    assertTrue(names.containsAll(List.of("default", "kube-system", "kube-public", "kube-node-lease")), names.toString());
    assertEquals("Active", api.get("/api/v1/namespaces/default").body().path("status").path("phase").asText());
  }

  @Test
  void configMapCrudRoundTripDropsUnknownFieldsAndAdvancesRevisions() {
    String ns = newNamespace("crud");
    String base = "/api/v1/namespaces/" + ns + "/configmaps";
    ApiHttp.Reply created = api.post(base, "{\"apiVersion\":\"v1\",\"kind\":\"ConfigMap\",\"metadata\":{\"name\":\"a\"},"
        + "\"data\":{\"x\":\"1\"},\"someFutureField\":{\"kept\":true}}");
    assertEquals(201, created.status(), created.raw());
    JsonNode meta = created.body().path("metadata");
    assertFalse(meta.path("uid").asText().isEmpty());
    assertFalse(meta.path("creationTimestamp").asText().isEmpty());
    assertEquals(ns, meta.path("namespace").asText());
    // As in Kubernetes, a built-in kind keeps only its schema's fields (fieldValidation defaults to Warn).
    assertTrue(created.body().path("someFutureField").isMissingNode(), created.raw());

    ApiHttp.Reply got = api.get(base + "/a");
    assertEquals(200, got.status());
    assertEquals(created.rv(), got.rv());

    String updated = got.body().deepCopy().toString().replace("\"x\":\"1\"", "\"x\":\"2\"");
    ApiHttp.Reply put = api.put(base + "/a", updated);
    assertEquals(200, put.status(), put.raw());
    assertTrue(Long.parseLong(put.rv()) > Long.parseLong(created.rv()));
    assertEquals("2", put.body().path("data").path("x").asText());
    assertEquals(meta.path("uid").asText(), put.body().path("metadata").path("uid").asText());

    ApiHttp.Reply del = api.delete(base + "/a");
    assertEquals(200, del.status(), del.raw());
    assertEquals(404, api.get(base + "/a").status());
    ApiHttp.Reply notFound = api.get(base + "/a");
    assertEquals("NotFound", notFound.body().path("reason").asText());
    assertEquals("Status", notFound.body().path("kind").asText());
  }

  @Test
  void clusterScopedAndGroupedTypesWork() {
    ApiHttp.Reply node1 = api.post("/api/v1/nodes",
        "{\"apiVersion\":\"v1\",\"kind\":\"Node\",\"metadata\":{\"name\":\"n-" + System.nanoTime() + "\"}}");
    assertEquals(201, node1.status(), node1.raw());
    String ns = newNamespace("apps");
    ApiHttp.Reply deploy = api.post("/apis/apps/v1/namespaces/" + ns + "/deployments",
        "{\"apiVersion\":\"apps/v1\",\"kind\":\"Deployment\",\"metadata\":{\"name\":\"web\"},"
            + "\"spec\":{\"replicas\":1},\"status\":{\"replicas\":99}}");
    assertEquals(201, deploy.status(), deploy.raw());
    assertEquals(1, deploy.body().path("metadata").path("generation").asLong());
    assertTrue(deploy.body().path("status").isMissingNode(), "status is not set by a create");
    ApiHttp.Reply all = api.get("/apis/apps/v1/deployments");
    assertEquals(200, all.status());
    assertTrue(all.raw().contains("\"web\""));
  }

  @Test
  void generationCountsSpecChangesOnlyAndStatusGoesThroughItsSubresource() {
    String ns = newNamespace("gen");
    String path = "/apis/apps/v1/namespaces/" + ns + "/deployments";
    JsonNode d = api.post(path, "{\"metadata\":{\"name\":\"d\"},\"spec\":{\"replicas\":1}}").body();
    // A label change is metadata: generation stays.
    JsonNode labelled = d.deepCopy();
    ((com.fasterxml.jackson.databind.node.ObjectNode) labelled.path("metadata")).putObject("labels").put("a", "b");
    ApiHttp.Reply r1 = api.put(path + "/d", labelled.toString());
    assertEquals(200, r1.status(), r1.raw());
    assertEquals(1, r1.body().path("metadata").path("generation").asLong());
    // A spec change bumps it; a status in the main resource is ignored.
    JsonNode scaled = r1.body().deepCopy();
    ((com.fasterxml.jackson.databind.node.ObjectNode) scaled.path("spec")).put("replicas", 3);
    ((com.fasterxml.jackson.databind.node.ObjectNode) scaled).putObject("status").put("replicas", 7);
    ApiHttp.Reply r2 = api.put(path + "/d", scaled.toString());
    assertEquals(2, r2.body().path("metadata").path("generation").asLong());
    assertTrue(r2.body().path("status").isMissingNode());
    // The status subresource changes status only, and not the generation.
    JsonNode status = r2.body().deepCopy();
    ((com.fasterxml.jackson.databind.node.ObjectNode) status).putObject("status").put("replicas", 3);
    ((com.fasterxml.jackson.databind.node.ObjectNode) status.path("spec")).put("replicas", 100);
    ApiHttp.Reply r3 = api.put(path + "/d/status", status.toString());
    assertEquals(200, r3.status(), r3.raw());
    assertEquals(3, r3.body().path("status").path("replicas").asInt());
    assertEquals(3, r3.body().path("spec").path("replicas").asInt());
    assertEquals(2, r3.body().path("metadata").path("generation").asLong());
  }

  @Test
  void generateNameAndDryRun() {
    String ns = newNamespace("gen-name");
    String base = "/api/v1/namespaces/" + ns + "/configmaps";
    ApiHttp.Reply r = api.post(base, "{\"metadata\":{\"generateName\":\"cfg-\"}}");
    assertEquals(201, r.status(), r.raw());
    assertTrue(r.body().path("metadata").path("name").asText().matches("cfg-[a-z0-9]{5}"));
    ApiHttp.Reply dry = api.post(base + "?dryRun=All", configMap("dry", "x"));
    assertEquals(201, dry.status(), dry.raw());
    assertEquals(404, api.get(base + "/dry").status());
    assertEquals(400, api.post(base + "?dryRun=Some", configMap("dry", "x")).status());
  }

  @Test
  void namespaceMustExistAndNotBeTerminating() {
    ApiHttp.Reply missing = api.post("/api/v1/namespaces/no-such-ns/configmaps", configMap("a", "b"));
    assertEquals(404, missing.status(), missing.raw());
    assertEquals("NotFound", missing.body().path("reason").asText());
    String ns = newNamespace("term");
    ApiHttp.Reply del = api.delete("/api/v1/namespaces/" + ns);
    assertTrue(del.status() == 200 || del.status() == 202, del.raw());
    assertEquals("Terminating", api.get("/api/v1/namespaces/" + ns).body().path("status").path("phase").asText());
    ApiHttp.Reply forbidden = api.post("/api/v1/namespaces/" + ns + "/configmaps", configMap("a", "b"));
    assertEquals(403, forbidden.status(), forbidden.raw());
    assertEquals("Forbidden", forbidden.body().path("reason").asText());
  }

  @Test
  void finalizersHoldADeletedObjectUntilRemoved() {
    String ns = newNamespace("fin");
    String base = "/api/v1/namespaces/" + ns + "/configmaps";
    api.post(base, "{\"metadata\":{\"name\":\"held\",\"finalizers\":[\"example.com/guard\"]}}");
    ApiHttp.Reply marked = api.delete(base + "/held");
    // Kubernetes answers 200 with the marked object (202 only for the legacy orphanDependents=false).
    assertEquals(200, marked.status(), marked.raw());
    JsonNode obj = api.get(base + "/held").body();
    assertFalse(obj.path("metadata").path("deletionTimestamp").asText().isEmpty());
    ((com.fasterxml.jackson.databind.node.ObjectNode) obj.path("metadata")).putArray("finalizers");
    ApiHttp.Reply released = api.put(base + "/held", obj.toString());
    assertEquals(200, released.status(), released.raw());
    assertEquals(404, api.get(base + "/held").status());
  }

  @Test
  void deletePreconditionsAreChecked() {
    String ns = newNamespace("pre");
    String base = "/api/v1/namespaces/" + ns + "/configmaps";
    ApiHttp.Reply c = api.post(base, configMap("p", "1"));
    ApiHttp.Reply wrongUid = api.delete(base + "/p", "{\"preconditions\":{\"uid\":\"nope\"}}");
    assertEquals(409, wrongUid.status(), wrongUid.raw());
    ApiHttp.Reply wrongRv = api.delete(base + "/p", "{\"preconditions\":{\"resourceVersion\":\"1\"}}");
    assertEquals(409, wrongRv.status(), wrongRv.raw());
    ApiHttp.Reply ok = api.delete(base + "/p", "{\"preconditions\":{\"resourceVersion\":\"" + c.rv() + "\"}}");
    assertEquals(200, ok.status(), ok.raw());
  }

  // ---- optimistic concurrency ----

  @Test
  void concurrentUpdatersWithTheSameRevisionHaveExactlyOneWinnerPerRound() throws Exception {
    String ns = newNamespace("occ");
    String path = "/api/v1/namespaces/" + ns + "/configmaps/shared";
    api.post("/api/v1/namespaces/" + ns + "/configmaps", configMap("shared", "0"));
    ExecutorService pool = Executors.newFixedThreadPool(50);
    try {
      for (int round = 0; round < 3; round++) {
        JsonNode current = api.get(path).body();
        List<Future<Integer>> results = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
          String body = current.toString().replace("\"k\":\"", "\"k\":\"w" + i + "-");
          results.add(pool.submit(() -> api.put(path, body).status()));
        }
        Map<Integer, Integer> counts = new HashMap<>();
        for (Future<Integer> f : results) {
          counts.merge(f.get(60, TimeUnit.SECONDS), 1, Integer::sum);
        }
        assertEquals(Map.of(200, 1, 409, 49), counts, "round " + round);
      }
    } finally {
      pool.shutdownNow();
    }
  }

  // ---- watch ----

  @Test
  void concurrentWritersOverTwoTypesAreWatchedExactlyOnceInRevisionOrder() throws Exception {
    String ns = newNamespace("watch");
    String rv0 = api.get("/api/v1/namespaces/" + ns + "/configmaps").rv();
    String srv0 = api.get("/api/v1/namespaces/" + ns + "/secrets").rv();
    try (ApiHttp.Watch cms = api.watch("/api/v1/namespaces/" + ns + "/configmaps?watch=true&resourceVersion=" + rv0);
         ApiHttp.Watch secrets = api.watch("/api/v1/namespaces/" + ns + "/secrets?watch=1&resourceVersion=" + srv0)) {
      Set<String> ackedCm = ConcurrentHashMap.newKeySet();
      Set<String> ackedSecret = ConcurrentHashMap.newKeySet();
      ExecutorService pool = Executors.newFixedThreadPool(8);
      List<Future<?>> writers = new ArrayList<>();
      for (int w = 0; w < 8; w++) {
        int writer = w;
        writers.add(pool.submit(() -> {
          for (int i = 0; i < 25; i++) {
            String name = "w" + writer + "-" + i;
            if (writer % 2 == 0) {
              ApiHttp.Reply r = api.post("/api/v1/namespaces/" + ns + "/configmaps", configMap(name, "v"));
              if (r.status() == 201) {
                ackedCm.add(name + "@" + r.rv());
              }
            } else {
              ApiHttp.Reply r = api.post("/api/v1/namespaces/" + ns + "/secrets",
                  "{\"metadata\":{\"name\":\"" + name + "\"},\"stringData\":{}}");
              if (r.status() == 201) {
                ackedSecret.add(name + "@" + r.rv());
              }
            }
          }
        }));
      }
      for (Future<?> f : writers) {
        f.get(120, TimeUnit.SECONDS);
      }
      pool.shutdown();
      assertEquals(100, ackedCm.size());
      assertEquals(100, ackedSecret.size());
      assertEquals(ackedCm, collect(cms, 100));
      assertEquals(ackedSecret, collect(secrets, 100));
    }
  }

  /** Reads n ADDED events, checking revisions strictly increase, and returns name@rv of each. */
  private static Set<String> collect(ApiHttp.Watch watch, int n) throws Exception {
    Set<String> seen = new HashSet<>();
    long last = 0;
    for (int i = 0; i < n; i++) {
      JsonNode e = watch.next(Duration.ofSeconds(30));
      assertNotNull(e, "watch stalled after " + i + " events");
      assertEquals("ADDED", e.path("type").asText(), e.toString());
      long rv = Long.parseLong(e.path("object").path("metadata").path("resourceVersion").asText());
      assertTrue(rv > last, "revisions must strictly increase: " + rv + " after " + last);
      last = rv;
      assertTrue(seen.add(e.path("object").path("metadata").path("name").asText() + "@" + rv), "duplicate " + e);
    }
    assertEquals(null, watch.next(Duration.ofMillis(300)), "no extra events");
    return seen;
  }

  @Test
  void aWatchResumedFromItsLastRevisionMissesNothing() throws Exception {
    String ns = newNamespace("resume");
    String base = "/api/v1/namespaces/" + ns + "/configmaps";
    String start = api.get(base).rv();
    String lastSeen;
    try (ApiHttp.Watch w = api.watch(base + "?watch=1&resourceVersion=" + start)) {
      api.post(base, configMap("one", "1"));
      JsonNode e = w.next(Duration.ofSeconds(10));
      assertNotNull(e);
      lastSeen = e.path("object").path("metadata").path("resourceVersion").asText();
    }
    // Changes while no watch is open.
    api.post(base, configMap("two", "2"));
    api.delete(base + "/one");
    try (ApiHttp.Watch w = api.watch(base + "?watch=1&resourceVersion=" + lastSeen)) {
      JsonNode added = w.next(Duration.ofSeconds(10));
      JsonNode deleted = w.next(Duration.ofSeconds(10));
      assertEquals("ADDED", added.path("type").asText());
      assertEquals("two", added.path("object").path("metadata").path("name").asText());
      assertEquals("DELETED", deleted.path("type").asText());
      assertEquals("one", deleted.path("object").path("metadata").path("name").asText());
    }
  }

  @Test
  void aRevisionOlderThanTheWindowIsGone() throws Exception {
    String ns = newNamespace("gone");
    String base = "/api/v1/namespaces/" + ns + "/configmaps";
    String old = api.get(base).rv();
    for (int i = 0; i < WINDOW + 10; i++) {
      assertEquals(201, api.post(base, configMap("g" + i, "x")).status());
    }
    try (ApiHttp.Watch w = api.watch(base + "?watch=1&resourceVersion=" + old)) {
      assertEquals(200, w.status);
      JsonNode e = w.next(Duration.ofSeconds(10));
      assertEquals("ERROR", e.path("type").asText(), e.toString());
      assertEquals(410, e.path("object").path("code").asInt());
      assertEquals("Expired", e.path("object").path("reason").asText());
    }
    ApiHttp.Reply list = api.get(base + "?resourceVersion=" + old + "&resourceVersionMatch=Exact");
    assertEquals(410, list.status(), list.raw());
  }

  @Test
  void watchWithSelectorsSeesObjectsEnterAndLeave() throws Exception {
    String ns = newNamespace("selw");
    String base = "/api/v1/namespaces/" + ns + "/configmaps";
    String rv = api.get(base).rv();
    try (ApiHttp.Watch w = api.watch(base + "?watch=1&labelSelector=tier%3Dfront&resourceVersion=" + rv)) {
      JsonNode c = api.post(base, "{\"metadata\":{\"name\":\"s\",\"labels\":{\"tier\":\"back\"}}}").body();
      ((com.fasterxml.jackson.databind.node.ObjectNode) c.path("metadata").path("labels")).put("tier", "front");
      JsonNode moved = api.put(base + "/s", c.toString()).body();
      ((com.fasterxml.jackson.databind.node.ObjectNode) moved.path("metadata").path("labels")).put("tier", "back");
      api.put(base + "/s", moved.toString());
      assertEquals("ADDED", w.next(Duration.ofSeconds(10)).path("type").asText());
      assertEquals("DELETED", w.next(Duration.ofSeconds(10)).path("type").asText());
    }
  }

  @Test
  void watchOverAWebSocketDeliversEventsAsTextFrames() throws Exception {
    String ns = newNamespace("ws");
    String base = "/api/v1/namespaces/" + ns + "/configmaps";
    String rv = api.get(base).rv();
    java.util.concurrent.BlockingQueue<String> frames = new java.util.concurrent.LinkedBlockingQueue<>();
    java.net.http.WebSocket ws = java.net.http.HttpClient.newHttpClient().newWebSocketBuilder()
        .buildAsync(java.net.URI.create("ws://127.0.0.1:" + node.apiPort() + base + "?watch=true&resourceVersion=" + rv),
            new java.net.http.WebSocket.Listener() {
              private final StringBuilder partial = new StringBuilder();

              @Override
              public java.util.concurrent.CompletionStage<?> onText(java.net.http.WebSocket socket, CharSequence data, boolean last) {
                partial.append(data);
                if (last) {
                  frames.add(partial.toString());
                  partial.setLength(0);
                }
                socket.request(1);
                return null;
              }
            })
        .get(10, TimeUnit.SECONDS);
    try {
      api.post(base, configMap("over-ws", "1"));
      String frame = frames.poll(10, TimeUnit.SECONDS);
      assertNotNull(frame, "no event over the WebSocket");
      JsonNode event = io.pekkube.actors.api.Json.MAPPER.readTree(frame);
      assertEquals("ADDED", event.path("type").asText());
      assertEquals("over-ws", event.path("object").path("metadata").path("name").asText());
    } finally {
      ws.abort();
    }
  }

  @Test
  void watchHonoursTimeoutSecondsAndSendsBookmarksWhenAllowed() throws Exception {
    String ns = newNamespace("bm");
    String base = "/api/v1/namespaces/" + ns + "/configmaps";
    api.post(base, configMap("existing", "1"));
    try (ApiHttp.Watch w = api.watch(base + "?watch=1&sendInitialEvents=true&allowWatchBookmarks=true"
        + "&resourceVersionMatch=NotOlderThan&timeoutSeconds=2")) {
      JsonNode added = w.next(Duration.ofSeconds(10));
      assertEquals("ADDED", added.path("type").asText());
      JsonNode bookmark = w.next(Duration.ofSeconds(10));
      assertEquals("BOOKMARK", bookmark.path("type").asText(), bookmark.toString());
      assertEquals("true", bookmark.path("object").path("metadata").path("annotations")
          .path("k8s.io/initial-events-end").asText());
      assertFalse(bookmark.path("object").path("metadata").path("resourceVersion").asText().isEmpty());
      JsonNode closed = w.next(Duration.ofSeconds(10));
      while (closed != null && closed.path("type").asText().equals("BOOKMARK")) {
        closed = w.next(Duration.ofSeconds(10)); // periodic bookmarks may come before the end
      }
      assertNotNull(closed, "the watch did not end");
      assertEquals("CLOSED", closed.path("type").asText(), "the server ends the watch after timeoutSeconds");
    }
  }

  @Test
  void deleteCollectionRemovesOnlyTheSelectedObjects() {
    String ns = newNamespace("dc");
    String base = "/api/v1/namespaces/" + ns + "/configmaps";
    api.post(base, "{\"metadata\":{\"name\":\"a\",\"labels\":{\"drop\":\"yes\"}}}");
    api.post(base, "{\"metadata\":{\"name\":\"b\",\"labels\":{\"drop\":\"yes\"}}}");
    api.post(base, "{\"metadata\":{\"name\":\"keep\"}}");
    ApiHttp.Reply r = api.delete(base + "?labelSelector=drop%3Dyes");
    assertEquals(200, r.status(), r.raw());
    assertEquals(2, r.body().path("items").size());
    assertEquals(List.of("keep"), names(api.get(base)));
  }

  // ---- LIST ----

  @Test
  void pagingOverAThousandObjectsReturnsEachExactlyOnceWhileWritesContinue() throws Exception {
    String ns = newNamespace("page");
    String base = "/api/v1/namespaces/" + ns + "/configmaps";
    ExecutorService pool = Executors.newFixedThreadPool(8);
    List<Future<Integer>> creates = new ArrayList<>();
    for (int i = 0; i < 1000; i++) {
      String name = String.format("p%04d", i);
      creates.add(pool.submit(() -> api.post(base, configMap(name, "x")).status()));
    }
    for (Future<Integer> f : creates) {
      assertEquals(201, f.get(120, TimeUnit.SECONDS));
    }
    AtomicBoolean stop = new AtomicBoolean();
    AtomicInteger churn = new AtomicInteger();
    Future<?> writer = pool.submit(() -> {
      while (!stop.get()) {
        int i = churn.getAndIncrement();
        api.post(base, configMap("zz-new-" + i, "x"));
        api.delete(base + "/" + String.format("p%04d", i % 1000));
      }
    });
    List<String> names = new ArrayList<>();
    String cont = "";
    String firstRv = null;
    do {
      ApiHttp.Reply page = api.get(base + "?limit=100" + (cont.isEmpty() ? "" : "&continue=" + cont));
      assertEquals(200, page.status(), page.raw());
      if (firstRv == null) {
        firstRv = page.rv();
      }
      assertEquals(firstRv, page.rv(), "every page is the snapshot of the first");
      page.body().path("items").forEach(i -> names.add(i.path("metadata").path("name").asText()));
      cont = page.body().path("metadata").path("continue").asText("");
    } while (!cont.isEmpty());
    stop.set(true);
    writer.get(60, TimeUnit.SECONDS);
    pool.shutdown();
    assertEquals(new HashSet<>(names).size(), names.size(), "no duplicates");
    List<String> sorted = new ArrayList<>(names);
    Collections.sort(sorted);
    assertEquals(sorted, names, "namespace/name order");
    ApiHttp.Reply exact = api.get(base + "?resourceVersion=" + firstRv + "&resourceVersionMatch=Exact");
    List<String> atFirst = new ArrayList<>();
    exact.body().path("items").forEach(i -> atFirst.add(i.path("metadata").path("name").asText()));
    assertEquals(atFirst, names, "the pages add up to the list at their revision");
    assertTrue(churn.get() > 0);
  }

  @Test
  void listsLargerThanOneHubReplyAreGatheredWhole() {
    String ns = newNamespace("big");
    String base = "/api/v1/namespaces/" + ns + "/configmaps";
    String payload = "x".repeat(100_000);
    for (int i = 0; i < 12; i++) {
      assertEquals(201, api.post(base, configMap(String.format("big-%02d", i), payload)).status());
    }
    ApiHttp.Reply all = api.get(base);
    assertEquals(12, all.body().path("items").size(), "1.2 MB of objects in one LIST");
    ApiHttp.Reply first = api.get(base + "?limit=7");
    assertEquals(7, first.body().path("items").size());
    ApiHttp.Reply rest = api.get(base + "?limit=7&continue=" + first.body().path("metadata").path("continue").asText());
    assertEquals(5, rest.body().path("items").size());
    assertEquals("big-07", rest.body().path("items").get(0).path("metadata").path("name").asText());
  }

  @Test
  void labelAndFieldSelectorsFilterLists() {
    String ns = newNamespace("sel");
    String base = "/api/v1/namespaces/" + ns + "/configmaps";
    api.post(base, "{\"metadata\":{\"name\":\"a\",\"labels\":{\"env\":\"prod\",\"tier\":\"web\"}}}");
    api.post(base, "{\"metadata\":{\"name\":\"b\",\"labels\":{\"env\":\"dev\"}}}");
    api.post(base, "{\"metadata\":{\"name\":\"c\"}}");
    assertEquals(List.of("a"), names(api.get(base + "?labelSelector=env%3Dprod")));
    assertEquals(List.of("b", "c"), names(api.get(base + "?labelSelector=env!%3Dprod")));
    assertEquals(List.of("a", "b"), names(api.get(base + "?labelSelector=env%20in%20(prod,dev)")));
    assertEquals(List.of("c"), names(api.get(base + "?labelSelector=!env")));
    assertEquals(List.of("a"), names(api.get(base + "?labelSelector=tier")));
    assertEquals(List.of("b"), names(api.get(base + "?fieldSelector=metadata.name%3Db")));
    assertEquals(List.of("a", "c"), names(api.get(base + "?fieldSelector=metadata.name!%3Db")));
    ApiHttp.Reply bad = api.get(base + "?labelSelector=env%20in%20prod");
    assertEquals(400, bad.status(), bad.raw());
    ApiHttp.Reply badField = api.get(base + "?fieldSelector=spec.nodeName%3Dx");
    assertEquals(400, badField.status(), badField.raw());
  }

  private static List<String> names(ApiHttp.Reply r) {
    assertEquals(200, r.status(), r.raw());
    List<String> out = new ArrayList<>();
    r.body().path("items").forEach(i -> out.add(i.path("metadata").path("name").asText()));
    return out;
  }

  // ---- bad input ----

  @Test
  void badInputGetsAStatusAndChangesNothing() {
    String ns = newNamespace("bad");
    String base = "/api/v1/namespaces/" + ns + "/configmaps";
    ApiHttp.Reply malformed = api.post(base, "{\"metadata\":");
    assertEquals(400, malformed.status());
    assertEquals("BadRequest", malformed.body().path("reason").asText());
    ApiHttp.Reply yaml = api.send("POST", base, "application/yaml", "metadata: [unclosed".getBytes());
    assertEquals(400, yaml.status(), yaml.raw());
    ApiHttp.Reply goodYaml = api.send("POST", base, "application/yaml",
        "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: from-yaml\n".getBytes());
    assertEquals(201, goodYaml.status(), goodYaml.raw());
    ApiHttp.Reply badName = api.post(base, configMap("Not_A_Name", "x"));
    assertEquals(422, badName.status());
    assertEquals("Invalid", badName.body().path("reason").asText());
    assertEquals("metadata.name", badName.body().path("details").path("causes").get(0).path("field").asText());
    ApiHttp.Reply badLabel = api.post(base, "{\"metadata\":{\"name\":\"l\",\"labels\":{\"a\":\"has space\"}}}");
    assertEquals(422, badLabel.status(), badLabel.raw());
    ApiHttp.Reply noName = api.post(base, "{\"metadata\":{}}");
    assertEquals(422, noName.status(), noName.raw());
    ApiHttp.Reply wrongKind = api.post(base, "{\"apiVersion\":\"v1\",\"kind\":\"Secret\",\"metadata\":{\"name\":\"k\"}}");
    assertEquals(400, wrongKind.status(), wrongKind.raw());
    byte[] huge = ("{\"metadata\":{\"name\":\"huge\"},\"data\":{\"k\":\"" + "x".repeat(3 * 1024 * 1024 + 10) + "\"}}").getBytes();
    ApiHttp.Reply tooLarge = api.send("POST", base, "application/json", huge);
    assertEquals(413, tooLarge.status(), tooLarge.raw().substring(0, Math.min(200, tooLarge.raw().length())));
    ApiHttp.Reply unsupported = api.send("POST", base, "text/plain", "hello".getBytes());
    assertEquals(415, unsupported.status());
    assertEquals("UnsupportedMediaType", unsupported.body().path("reason").asText());
    ApiHttp.Reply notAllowed = api.send("POST", base + "/x", "application/json", "{}".getBytes());
    assertEquals(405, notAllowed.status());
    ApiHttp.Reply dup = api.post(base, configMap("from-yaml", "x"));
    assertEquals(409, dup.status());
    assertEquals("AlreadyExists", dup.body().path("reason").asText());
    ApiHttp.Reply unknownType = api.get("/api/v1/namespaces/" + ns + "/widgets");
    assertEquals(404, unknownType.status());
    ApiHttp.Reply mismatch = api.put(base + "/from-yaml", configMap("other", "x"));
    assertEquals(400, mismatch.status(), mismatch.raw());
    assertEquals(List.of("from-yaml"), names(api.get(base)));
  }

  @Test
  void healthVersionAndDiscoveryAnswer() {
    assertEquals(200, api.get("/healthz").status());
    assertEquals(200, api.get("/readyz").status());
    assertEquals("1", api.get("/version").body().path("major").asText());
    assertTrue(api.get("/api").raw().contains("\"v1\""));
    assertTrue(api.get("/apis").raw().contains("\"apps\""));
    assertTrue(api.get("/api/v1").raw().contains("\"configmaps\""));
    assertTrue(api.get("/apis/apps/v1").raw().contains("\"deployments\""));
  }
}
