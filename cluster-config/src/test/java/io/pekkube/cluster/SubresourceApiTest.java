package io.pekkube.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.typesafe.config.ConfigFactory;
import io.pekkube.actors.api.Json;
import io.pekkube.cluster.settings.NodeSettings;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/** The subresources, reviews and delete options over real HTTP against one embedded node. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SubresourceApiTest {
  private PekkubeNode node;
  private ApiHttp api;

  @BeforeAll
  void startNode() throws Exception {
    Path dir = Files.createTempDirectory(Path.of(System.getProperty("java.io.tmpdir")), "pekkube-subres-");
    NodeSettings settings = new NodeSettings(dir, "127.0.0.1", 0, ApiContract.freePort(), List.of(),
        List.of("control-plane", "worker"), "embedded", "test-node");
    // Pods are bound by hand here, as in a cluster without a scheduler.
    node = PekkubeNode.start(settings, ConfigFactory.parseString("pekko.actor.serialize-messages = on\n"
        + "pekkube.scheduler.enabled = off"));
    api = new ApiHttp(node.apiPort());
  }

  @AfterAll
  void stopNode() {
    if (node != null) {
      ApiContract.closeAndKillContainers(node);
    }
  }

  private static String deployment(String name, int replicas) {
    return "{\"apiVersion\":\"apps/v1\",\"kind\":\"Deployment\",\"metadata\":{\"name\":\"" + name + "\"},"
        + "\"spec\":{\"replicas\":" + replicas + ",\"selector\":{\"matchLabels\":{\"app\":\"web\"},"
        + "\"matchExpressions\":[{\"key\":\"tier\",\"operator\":\"In\",\"values\":[\"b\",\"a\"]}]},"
        + "\"template\":{\"metadata\":{\"labels\":{\"app\":\"web\",\"tier\":\"a\"}},"
        + "\"spec\":{\"containers\":[{\"name\":\"c\",\"image\":\"nginx\"}]}}}}";
  }

  private static String pod(String name, String labels) {
    return "{\"apiVersion\":\"v1\",\"kind\":\"Pod\",\"metadata\":{\"name\":\"" + name + "\",\"labels\":" + labels
        + "},\"spec\":{\"containers\":[{\"name\":\"c\",\"image\":\"nginx\"}]}}";
  }

  // ---- scale ----

  @Test
  void scaleIsReadAndWrittenThroughTheParentsReplicas() {
    String ns = api.createNamespace("scale");
    String base = "/apis/apps/v1/namespaces/" + ns + "/deployments";
    ApiHttp.Reply created = api.post(base, deployment("web", 2));
    assertEquals(201, created.status(), created.raw());

    ApiHttp.Reply scale = api.get(base + "/web/scale");
    assertEquals(200, scale.status(), scale.raw());
    assertEquals("autoscaling/v1", scale.body().path("apiVersion").asText());
    assertEquals("Scale", scale.body().path("kind").asText());
    assertEquals(2, scale.body().path("spec").path("replicas").asInt());
    assertEquals(0, scale.body().path("status").path("replicas").asInt());
    assertEquals("app=web,tier in (a,b)", scale.body().path("status").path("selector").asText());
    assertEquals(created.rv(), scale.rv());

    String put = scale.body().deepCopy().toString().replace("\"replicas\":2", "\"replicas\":5");
    ApiHttp.Reply scaled = api.put(base + "/web/scale", put);
    assertEquals(200, scaled.status(), scaled.raw());
    assertEquals(5, scaled.body().path("spec").path("replicas").asInt());
    ApiHttp.Reply parent = api.get(base + "/web");
    assertEquals(5, parent.body().path("spec").path("replicas").asInt());
    assertEquals(2, parent.body().path("metadata").path("generation").asInt(), "a replicas change is a spec change");
    assertEquals(parent.rv(), scaled.rv());

    // The first scale's resourceVersion is stale now.
    ApiHttp.Reply stale = api.put(base + "/web/scale", put.replace("\"replicas\":5", "\"replicas\":7"));
    assertEquals(409, stale.status(), stale.raw());
    assertEquals("Conflict", stale.body().path("reason").asText());
    assertEquals(5, api.get(base + "/web").body().path("spec").path("replicas").asInt());

    // Without a resourceVersion the scale applies to the latest parent.
    ApiHttp.Reply unconditional = api.put(base + "/web/scale",
        "{\"apiVersion\":\"autoscaling/v1\",\"kind\":\"Scale\",\"metadata\":{\"name\":\"web\"},\"spec\":{\"replicas\":1}}");
    assertEquals(200, unconditional.status(), unconditional.raw());
    assertEquals(1, api.get(base + "/web").body().path("spec").path("replicas").asInt());
  }

  @Test
  void badScalesAreRefusedAndChangeNothing() {
    String ns = api.createNamespace("badscale");
    String base = "/apis/apps/v1/namespaces/" + ns + "/statefulsets";
    assertEquals(201, api.post(base, deployment("db", 3).replace("\"Deployment\"", "\"StatefulSet\"")).status());
    ApiHttp.Reply negative = api.put(base + "/db/scale",
        "{\"kind\":\"Scale\",\"apiVersion\":\"autoscaling/v1\",\"metadata\":{\"name\":\"db\"},\"spec\":{\"replicas\":-1}}");
    assertEquals(422, negative.status(), negative.raw());
    assertEquals("Scale.autoscaling \"db\" is invalid: spec.replicas: Invalid value: -1: must be greater than or "
        + "equal to 0", negative.body().path("message").asText());
    ApiHttp.Reply otherName = api.put(base + "/db/scale",
        "{\"kind\":\"Scale\",\"apiVersion\":\"autoscaling/v1\",\"metadata\":{\"name\":\"x\"},\"spec\":{\"replicas\":1}}");
    assertEquals(400, otherName.status(), otherName.raw());
    assertEquals(3, api.get(base + "/db").body().path("spec").path("replicas").asInt());
    assertEquals(404, api.get(base + "/missing/scale").status());
    assertEquals(404, api.get("/api/v1/namespaces/" + ns + "/configmaps/x/scale").status(),
        "configmaps have no scale subresource");
    assertEquals(415, api.send("PATCH", base + "/db/scale", "text/plain",
        "{\"spec\":{\"replicas\":2}}".getBytes(StandardCharsets.UTF_8)).status());
    ApiHttp.Reply malformed = api.send("PATCH", base + "/db/scale", "application/merge-patch+json",
        "{\"spec\":".getBytes(StandardCharsets.UTF_8));
    assertEquals(400, malformed.status(), malformed.raw());
    ApiHttp.Reply negativePatch = api.send("PATCH", base + "/db/scale", "application/merge-patch+json",
        "{\"spec\":{\"replicas\":-2}}".getBytes(StandardCharsets.UTF_8));
    assertEquals(422, negativePatch.status(), negativePatch.raw());
    assertEquals(3, api.get(base + "/db").body().path("spec").path("replicas").asInt());
  }

  @Test
  void scaleTakesMergeStrategicAndJsonPatches() {
    String ns = api.createNamespace("patchscale");
    String base = "/apis/apps/v1/namespaces/" + ns + "/deployments";
    assertEquals(201, api.post(base, deployment("web", 1)).status());
    ApiHttp.Reply merged = api.send("PATCH", base + "/web/scale", "application/merge-patch+json",
        "{\"spec\":{\"replicas\":2}}".getBytes(StandardCharsets.UTF_8));
    assertEquals(200, merged.status(), merged.raw());
    assertEquals("Scale", merged.body().path("kind").asText());
    assertEquals(2, merged.body().path("spec").path("replicas").asInt());
    ApiHttp.Reply strategic = api.send("PATCH", base + "/web/scale", "application/strategic-merge-patch+json",
        "{\"spec\":{\"replicas\":4}}".getBytes(StandardCharsets.UTF_8));
    assertEquals(200, strategic.status(), strategic.raw());
    ApiHttp.Reply json = api.send("PATCH", base + "/web/scale", "application/json-patch+json",
        "[{\"op\":\"test\",\"path\":\"/spec/replicas\",\"value\":4},{\"op\":\"replace\",\"path\":\"/spec/replicas\",\"value\":5}]"
            .getBytes(StandardCharsets.UTF_8));
    assertEquals(200, json.status(), json.raw());
    assertEquals(5, api.get(base + "/web").body().path("spec").path("replicas").asInt());
  }

  @Test
  void discoveryDescribesTheScaleAndEvictionKinds() {
    JsonNode apps = api.get("/apis/apps/v1").body();
    JsonNode scale = find(apps, "deployments/scale");
    assertEquals("autoscaling", scale.path("group").asText());
    assertEquals("v1", scale.path("version").asText());
    assertEquals("Scale", scale.path("kind").asText());
    assertEquals("[\"get\",\"patch\",\"update\"]", scale.path("verbs").toString());
    JsonNode core = api.get("/api/v1").body();
    assertEquals("Eviction", find(core, "pods/eviction").path("kind").asText());
    assertEquals("[\"create\"]", find(core, "pods/binding").path("verbs").toString());
    JsonNode authz = api.get("/apis/authorization.k8s.io/v1").body();
    assertEquals("[\"create\"]", find(authz, "selfsubjectaccessreviews").path("verbs").toString());
  }

  private static JsonNode find(JsonNode list, String name) {
    for (JsonNode r : list.path("resources")) {
      if (r.path("name").asText().equals(name)) {
        return r;
      }
    }
    throw new AssertionError(name + " not in " + list);
  }

  // ---- status ----

  @Test
  void statusAndMainWritesKeepToTheirOwnHalves() {
    String ns = api.createNamespace("status");
    String base = "/apis/apps/v1/namespaces/" + ns + "/deployments";
    assertEquals(201, api.post(base, deployment("web", 2)).status());
    JsonNode current = api.get(base + "/web/status").body();
    assertEquals("Deployment", current.path("kind").asText(), "GET /status returns the object");
    String statusWrite = current.deepCopy().toString().replace("\"replicas\":2", "\"replicas\":9")
        .replaceFirst("\\}$", ",\"status\":{\"replicas\":4}}");
    ApiHttp.Reply written = api.put(base + "/web/status", statusWrite);
    assertEquals(200, written.status(), written.raw());
    assertEquals(2, written.body().path("spec").path("replicas").asInt(), "a status write ignores spec");
    assertEquals(4, written.body().path("status").path("replicas").asInt());

    String mainWrite = written.body().deepCopy().toString().replace("\"replicas\":4", "\"replicas\":0");
    ApiHttp.Reply main = api.put(base + "/web", mainWrite);
    assertEquals(200, main.status(), main.raw());
    assertEquals(4, main.body().path("status").path("replicas").asInt(), "a main write ignores status");
    assertEquals(4, api.get(base + "/web/scale").body().path("status").path("replicas").asInt());
  }

  // ---- binding ----

  @Test
  void aPodIsBoundOnceAndASecondBindingConflicts() {
    String ns = api.createNamespace("bind");
    String pods = "/api/v1/namespaces/" + ns + "/pods";
    assertEquals(201, api.post(pods, pod("p", "{}")).status());
    ApiHttp.Reply invalid = api.post(pods + "/p/binding",
        "{\"apiVersion\":\"v1\",\"kind\":\"Binding\",\"metadata\":{\"name\":\"p\"},\"target\":{\"kind\":\"Pod\"}}");
    assertEquals(422, invalid.status(), invalid.raw());
    ApiHttp.Reply bound = api.post(pods + "/p/binding",
        "{\"apiVersion\":\"v1\",\"kind\":\"Binding\",\"metadata\":{\"name\":\"p\"},\"target\":{\"kind\":\"Node\",\"name\":\"n1\"}}");
    assertEquals(201, bound.status(), bound.raw());
    assertEquals("Success", bound.body().path("status").asText());
    JsonNode pod = api.get(pods + "/p").body();
    assertEquals("n1", pod.path("spec").path("nodeName").asText());
    assertEquals("PodScheduled", pod.path("status").path("conditions").path(0).path("type").asText());
    assertEquals("True", pod.path("status").path("conditions").path(0).path("status").asText());

    ApiHttp.Reply again = api.post(pods + "/p/binding",
        "{\"apiVersion\":\"v1\",\"kind\":\"Binding\",\"metadata\":{\"name\":\"p\"},\"target\":{\"name\":\"n2\"}}");
    assertEquals(409, again.status(), again.raw());
    assertEquals("Operation cannot be fulfilled on pods/binding \"p\": pod p is already assigned to node \"n1\"",
        again.body().path("message").asText());
    assertEquals("n1", api.get(pods + "/p").body().path("spec").path("nodeName").asText());
  }

  @Test
  void aBindingIsOneWriteOfThePodAndHonoursItsUidPrecondition() throws Exception {
    String ns = api.createNamespace("bind-once");
    String pods = "/api/v1/namespaces/" + ns + "/pods";
    assertEquals(201, api.post(pods, pod("p", "{}")).status());
    JsonNode created = api.get(pods + "/p").body();
    ApiHttp.Reply stale = api.post(pods + "/p/binding", "{\"metadata\":{\"name\":\"p\",\"uid\":\"not-its-uid\"},"
        + "\"target\":{\"name\":\"n1\"}}");
    assertEquals(409, stale.status(), stale.raw());
    assertEquals("Operation cannot be fulfilled on pods/binding \"p\": Precondition failed: UID in precondition: "
        + "not-its-uid, UID in object meta: " + created.path("metadata").path("uid").asText(),
        stale.body().path("message").asText());

    String from = created.path("metadata").path("resourceVersion").asText();
    try (ApiHttp.Watch watch = api.watch(pods + "?watch=true&resourceVersion=" + from)) {
      assertEquals(201, api.post(pods + "/p/binding", "{\"metadata\":{\"name\":\"p\",\"uid\":\""
          + created.path("metadata").path("uid").asText() + "\"},\"target\":{\"name\":\"n1\"}}").status());
      JsonNode change = watch.next(Duration.ofSeconds(10));
      assertEquals("MODIFIED", change.path("type").asText(), change.toString());
      JsonNode bound = change.path("object");
      assertEquals("n1", bound.path("spec").path("nodeName").asText(), "the node and ...");
      assertEquals("True", bound.path("status").path("conditions").path(0).path("status").asText(),
          "... the PodScheduled condition arrive in the same change");
      assertEquals(api.get(pods + "/p").body().path("metadata").path("resourceVersion").asText(),
          bound.path("metadata").path("resourceVersion").asText(), "the binding wrote the pod once");
      assertNull(watch.next(Duration.ofMillis(500)), "no second write follows");
    }
  }

  // ---- eviction ----

  @Test
  void evictionDeletesAPodUnlessItsBudgetAllowsNoDisruption() {
    String ns = api.createNamespace("evict");
    String pods = "/api/v1/namespaces/" + ns + "/pods";
    String pdbs = "/apis/policy/v1/namespaces/" + ns + "/poddisruptionbudgets";
    for (String name : List.of("a", "b")) {
      assertEquals(201, api.post(pods, pod(name, "{\"app\":\"db\"}")).status());
      JsonNode p = api.get(pods + "/" + name).body();
      ((com.fasterxml.jackson.databind.node.ObjectNode) p).putObject("status").put("phase", "Running");
      assertEquals(200, api.put(pods + "/" + name + "/status", p.toString()).status());
    }
    assertEquals(201, api.post(pdbs, "{\"apiVersion\":\"policy/v1\",\"kind\":\"PodDisruptionBudget\",\"metadata\":"
        + "{\"name\":\"db\"},\"spec\":{\"minAvailable\":1,\"selector\":{\"matchLabels\":{\"app\":\"db\"}}}}").status());
    JsonNode pdb = api.get(pdbs + "/db").body();
    ((com.fasterxml.jackson.databind.node.ObjectNode) pdb).putObject("status").put("disruptionsAllowed", 1)
        .put("currentHealthy", 2).put("desiredHealthy", 1).put("expectedPods", 2)
        .put("observedGeneration", pdb.path("metadata").path("generation").asLong());
    assertEquals(200, api.put(pdbs + "/db/status", pdb.toString()).status());

    String eviction = "{\"apiVersion\":\"policy/v1\",\"kind\":\"Eviction\",\"metadata\":{\"name\":\"%s\"}}";
    ApiHttp.Reply first = api.post(pods + "/a/eviction", eviction.formatted("a"));
    assertEquals(201, first.status(), first.raw());
    assertEquals(404, api.get(pods + "/a").status());
    JsonNode consumed = api.get(pdbs + "/db").body().path("status");
    assertEquals(0, consumed.path("disruptionsAllowed").asInt());
    assertTrue(consumed.path("disruptedPods").has("a"), consumed.toString());

    ApiHttp.Reply second = api.post(pods + "/b/eviction", eviction.formatted("b"));
    assertEquals(429, second.status(), second.raw());
    assertEquals("TooManyRequests", second.body().path("reason").asText());
    assertEquals("Cannot evict pod as it would violate the pod's disruption budget.",
        second.body().path("message").asText());
    assertEquals("DisruptionBudget", second.body().path("details").path("causes").path(0).path("reason").asText());
    assertEquals(200, api.get(pods + "/b").status(), "a refused eviction deletes nothing");
    assertEquals("", second.header("Retry-After"), "no retry is suggested for a budget that allows none");
    assertFalse(second.body().path("details").has("retryAfterSeconds"));

    // A budget whose spec changed since its status was computed: "still being processed", retry in 10s.
    JsonNode changed = api.get(pdbs + "/db").body();
    ((com.fasterxml.jackson.databind.node.ObjectNode) changed.path("spec")).put("minAvailable", 0);
    assertEquals(200, api.put(pdbs + "/db", changed.toString()).status());
    ApiHttp.Reply processing = api.post(pods + "/b/eviction", eviction.formatted("b"));
    assertEquals(429, processing.status(), processing.raw());
    assertEquals("The disruption budget db is still being processed by the server.",
        processing.body().path("details").path("causes").path(0).path("message").asText());
    assertEquals("10", processing.header("Retry-After"));
    assertEquals(10, processing.body().path("details").path("retryAfterSeconds").asInt());

    assertEquals(400, api.post(pods + "/b/eviction", eviction.formatted("other")).status());
    assertEquals(404, api.post(pods + "/gone/eviction", eviction.formatted("gone")).status());
  }

  // ---- log ----

  @Test
  void logOptionsAreCheckedAndAPodWithoutARunningContainerAnswersAsKubernetes() {
    String ns = api.createNamespace("logs");
    String pods = "/api/v1/namespaces/" + ns + "/pods";
    assertEquals(201, api.post(pods, pod("p", "{}")).status());
    ApiHttp.Reply unbound = api.get(pods + "/p/log");
    assertEquals(200, unbound.status(), "an unscheduled pod has an empty log");
    assertEquals("", unbound.raw());

    ApiHttp.Reply negative = api.get(pods + "/p/log?tailLines=-1");
    assertEquals(422, negative.status(), negative.raw());
    assertEquals("PodLogOptions \"p\" is invalid: tailLines: Invalid value: -1: must be greater than or equal to 0",
        negative.body().path("message").asText());
    assertEquals(422, api.get(pods + "/p/log?sinceSeconds=5&sinceTime=2024-01-01T00:00:00Z").status());
    assertEquals(422, api.get(pods + "/p/log?limitBytes=0").status());
    assertEquals(400, api.get(pods + "/p/log?follow=maybe").status());
    assertEquals(400, api.get(pods + "/p/log?tailLines=ten").status());
    ApiHttp.Reply wrongContainer = api.get(pods + "/p/log?container=x");
    assertEquals(400, wrongContainer.status());
    assertEquals("container x is not valid for pod p", wrongContainer.body().path("message").asText());

    assertEquals(201, api.post(pods + "/p/binding",
        "{\"metadata\":{\"name\":\"p\"},\"target\":{\"name\":\"n1\"}}").status());
    ApiHttp.Reply bound = api.get(pods + "/p/log");
    assertEquals(400, bound.status(), bound.raw());
    assertEquals("container \"c\" in pod \"p\" is not available", bound.body().path("message").asText());
    JsonNode p = api.get(pods + "/p").body();
    ((com.fasterxml.jackson.databind.node.ObjectNode) p.path("status")).putArray("containerStatuses").addObject()
        .put("name", "c").putObject("state").putObject("waiting").put("reason", "ContainerCreating");
    assertEquals(200, api.put(pods + "/p/status", p.toString()).status());
    assertEquals("container \"c\" in pod \"p\" is waiting to start: ContainerCreating",
        api.get(pods + "/p/log").body().path("message").asText());
  }

  // ---- exec ----

  @Test
  void execOfAnUnscheduledPodIsRefusedBeforeTheUpgrade() {
    String ns = api.createNamespace("exec");
    String pods = "/api/v1/namespaces/" + ns + "/pods";
    assertEquals(201, api.post(pods, pod("p", "{}")).status());
    ApiHttp.Reply r = api.send("POST", pods + "/p/exec?command=ls&stdout=true", null, null);
    assertEquals(400, r.status(), r.raw());
    assertEquals("pod p does not have a host assigned", r.body().path("message").asText());
    assertEquals(400, api.send("POST", pods + "/p/exec?command=ls&container=x", null, null).status());
  }

  @Test
  void execOfABoundPodSendsTheErrorOnChannelThreeAndCloses() throws Exception {
    String ns = api.createNamespace("wsexec");
    String pods = "/api/v1/namespaces/" + ns + "/pods";
    assertEquals(201, api.post(pods, pod("p", "{}")).status());
    assertEquals(201, api.post(pods + "/p/binding", "{\"metadata\":{\"name\":\"p\"},\"target\":{\"name\":\"n1\"}}")
        .status());
    ApiHttp.Reply spdy = api.send("POST", pods + "/p/exec?command=ls&stdout=true", null, null);
    // The API server looks the pod's node up to reach its kubelet, as Kubernetes does.
    assertEquals(404, spdy.status(), spdy.raw());
    assertEquals("nodes \"n1\" not found", spdy.body().path("message").asText());

    CompletableFuture<byte[]> frame = new CompletableFuture<>();
    CompletableFuture<Integer> closed = new CompletableFuture<>();
    WebSocket ws = HttpClient.newHttpClient().newWebSocketBuilder()
        .subprotocols("v5.channel.k8s.io", "v4.channel.k8s.io")
        .buildAsync(URI.create("ws://127.0.0.1:" + node.apiPort() + pods + "/p/exec?command=ls&stdout=true"),
            new WebSocket.Listener() {
              @Override
              public CompletionStage<?> onBinary(WebSocket socket, ByteBuffer data, boolean last) {
                byte[] bytes = new byte[data.remaining()];
                data.get(bytes);
                frame.complete(bytes);
                socket.request(1);
                return null;
              }

              @Override
              public CompletionStage<?> onClose(WebSocket socket, int status, String reason) {
                closed.complete(status);
                return null;
              }
            })
        .get(10, TimeUnit.SECONDS);
    assertEquals("v5.channel.k8s.io", ws.getSubprotocol());
    byte[] bytes = frame.get(10, TimeUnit.SECONDS);
    assertEquals(3, bytes[0], "the error channel");
    JsonNode status = Json.MAPPER.readTree(new String(bytes, 1, bytes.length - 1, StandardCharsets.UTF_8));
    assertEquals("Failure", status.path("status").asText());
    assertEquals("nodes \"n1\" not found", status.path("message").asText());
    assertEquals(1000, closed.get(10, TimeUnit.SECONDS));
  }

  // ---- reviews ----

  @Test
  void accessReviewsAllowTheAdministratorAndAreNotStored() {
    String ssar = "{\"apiVersion\":\"authorization.k8s.io/v1\",\"kind\":\"SelfSubjectAccessReview\",\"spec\":"
        + "{\"resourceAttributes\":{\"namespace\":\"default\",\"verb\":\"create\",\"resource\":\"pods\"}}}";
    ApiHttp.Reply r = api.post("/apis/authorization.k8s.io/v1/selfsubjectaccessreviews", ssar);
    assertEquals(201, r.status(), r.raw());
    assertTrue(r.body().path("status").path("allowed").asBoolean(), r.raw());
    assertEquals("pods", r.body().path("spec").path("resourceAttributes").path("resource").asText());
    assertEquals(405, api.get("/apis/authorization.k8s.io/v1/selfsubjectaccessreviews").status());

    ApiHttp.Reply neither = api.post("/apis/authorization.k8s.io/v1/selfsubjectaccessreviews",
        "{\"kind\":\"SelfSubjectAccessReview\",\"spec\":{}}");
    assertEquals(422, neither.status(), neither.raw());

    ApiHttp.Reply rules = api.post("/apis/authorization.k8s.io/v1/selfsubjectrulesreviews",
        "{\"kind\":\"SelfSubjectRulesReview\",\"spec\":{\"namespace\":\"default\"}}");
    assertEquals(201, rules.status(), rules.raw());
    assertEquals("[\"*\"]", rules.body().path("status").path("resourceRules").path(0).path("verbs").toString());
    assertFalse(rules.body().path("status").path("incomplete").asBoolean());
    assertEquals(400, api.post("/apis/authorization.k8s.io/v1/selfsubjectrulesreviews",
        "{\"kind\":\"SelfSubjectRulesReview\",\"spec\":{}}").status());
  }

  @Test
  void identityReviewsTellWhoIsAskingAndThatNoTokenIsKnown() {
    ApiHttp.Reply who = api.post("/apis/authentication.k8s.io/v1/selfsubjectreviews",
        "{\"apiVersion\":\"authentication.k8s.io/v1\",\"kind\":\"SelfSubjectReview\"}");
    assertEquals(201, who.status(), who.raw());
    assertEquals("admin", who.body().path("status").path("userInfo").path("username").asText());
    assertTrue(who.body().path("status").path("userInfo").path("groups").toString().contains("system:masters"));

    ApiHttp.Reply token = api.post("/apis/authentication.k8s.io/v1/tokenreviews",
        "{\"kind\":\"TokenReview\",\"spec\":{\"token\":\"abc\"}}");
    assertEquals(201, token.status(), token.raw());
    assertFalse(token.body().path("status").path("authenticated").asBoolean());
    assertTrue(token.body().path("status").path("error").asText().contains("no token authentication"));
    assertEquals(400, api.post("/apis/authentication.k8s.io/v1/tokenreviews",
        "{\"kind\":\"TokenReview\",\"spec\":{}}").status());
  }

  // ---- delete options ----

  @Test
  void anUnknownPropagationPolicyIsRefusedAndDeletesNothing() {
    String ns = api.createNamespace("cascade");
    String cms = "/api/v1/namespaces/" + ns + "/configmaps";
    assertEquals(201, api.post(cms, "{\"metadata\":{\"name\":\"a\"}}").status());
    ApiHttp.Reply bad = api.delete(cms + "/a", "{\"propagationPolicy\":\"Sideways\"}");
    assertEquals(422, bad.status(), bad.raw());
    assertEquals("DeleteOptions.meta.k8s.io \"\" is invalid: propagationPolicy: Unsupported value: \"Sideways\": "
        + "supported values: \"Foreground\", \"Background\", \"Orphan\", \"nil\"", bad.body().path("message").asText());
    assertEquals(422, api.delete(cms + "/a", "{\"propagationPolicy\":\"Orphan\",\"orphanDependents\":true}").status());
    assertEquals(200, api.get(cms + "/a").status());
    assertEquals(200, api.delete(cms + "/a", "{\"propagationPolicy\":\"Background\"}").status());
    assertEquals(404, api.get(cms + "/a").status());
  }
}
