package io.pekkube.cluster;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.typesafe.config.ConfigFactory;
import io.pekkube.cluster.settings.NodeSettings;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Pod deletion over real HTTP as Kubernetes does it, on a control plane with no kubelet: a pod bound
 * to a node stays Terminating for its grace period (nobody stops it here, so it stays until
 * force-deleted), a second DELETE may only shorten the grace period, and a pod bound to no node or
 * already finished goes at once. The pod garbage collector force-deletes the pods of a deleted Node.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class GracefulDeletionApiTest {
  private static final Duration EVENT = Duration.ofSeconds(20);
  private PekkubeNode node;
  private ApiHttp api;

  @BeforeAll
  void startNode() throws Exception {
    Path dir = Files.createTempDirectory(Path.of(System.getProperty("java.io.tmpdir")), "pekkube-grace-");
    node = PekkubeNode.start(new NodeSettings(dir, "127.0.0.1", 0, ApiContract.freePort(), List.of(),
        List.of("control-plane"), "embedded", "grace-node"), ConfigFactory.parseString(
            "pekko.actor.serialize-messages = on\npekkube.scheduler.enabled = off"));
    api = new ApiHttp(node.apiPort());
  }

  @AfterAll
  void stopNode() {
    if (node != null) {
      node.close();
    }
  }

  private String namespace(String prefix) {
    return "/api/v1/namespaces/" + api.createNamespace(prefix) + "/pods";
  }

  /** A watch of {@code pods} from the revision {@code object} was written at. */
  private ApiHttp.Watch watchAfter(String pods, JsonNode object) throws Exception {
    return api.watch(pods + "?watch=true&resourceVersion=" + object.path("metadata").path("resourceVersion").asText());
  }

  /** A pod bound to {@code nodeName} ("" for none) with the spec's grace period (null for the default). */
  private JsonNode createPod(String pods, String name, String nodeName, Integer grace, String finalizers) {
    String spec = (nodeName.isEmpty() ? "" : "\"nodeName\":\"" + nodeName + "\",")
        + (grace == null ? "" : "\"terminationGracePeriodSeconds\":" + grace + ",")
        + "\"containers\":[{\"name\":\"c\",\"image\":\"busybox\"}]";
    ApiHttp.Reply r = api.post(pods, "{\"apiVersion\":\"v1\",\"kind\":\"Pod\",\"metadata\":{\"name\":\"" + name + "\""
        + (finalizers == null ? "" : ",\"finalizers\":" + finalizers) + "},\"spec\":{" + spec + "}}");
    assertEquals(201, r.status(), r.raw());
    return r.body();
  }

  private static Instant deletionTimestamp(JsonNode pod) {
    return Instant.parse(pod.path("metadata").path("deletionTimestamp").asText());
  }

  private static long deletionGrace(JsonNode pod) {
    return pod.path("metadata").path("deletionGracePeriodSeconds").asLong(-1);
  }

  private JsonNode nextEvent(ApiHttp.Watch watch) throws InterruptedException {
    JsonNode event = watch.next(EVENT);
    assertNotNull(event, "a watch event within " + EVENT);
    return event;
  }

  @Test
  void aBoundPodStaysTerminatingAndASecondDeleteOnlyShortensItsGracePeriod() throws Exception {
    String pods = namespace("grace");
    JsonNode created = createPod(pods, "web", "n1", 45, null);
    try (ApiHttp.Watch watch = watchAfter(pods, created)) {
      Instant before = Instant.now().minusSeconds(1);
      ApiHttp.Reply first = api.delete(pods + "/web");
      assertEquals(200, first.status(), first.raw());
      assertEquals("Pod", first.body().path("kind").asText(), "the answer is the pod, not a Status");
      assertEquals(45, deletionGrace(first.body()));
      Instant deadline = deletionTimestamp(first.body());
      assertFalse(deadline.isBefore(before.plusSeconds(45)), "deletionTimestamp is now + the spec's grace period");
      assertFalse(deadline.isAfter(Instant.now().plusSeconds(46)));
      assertEquals(2, first.body().path("metadata").path("generation").asLong());

      JsonNode marked = nextEvent(watch);
      assertEquals("MODIFIED", marked.path("type").asText(), marked.toString());
      assertEquals(45, deletionGrace(marked.path("object")));
      ApiHttp.Reply stays = api.get(pods + "/web");
      assertEquals(200, stays.status(), "the pod stays while its grace period runs");
      assertEquals(deadline, deletionTimestamp(stays.body()));

      ApiHttp.Reply longer = api.delete(pods + "/web", "{\"gracePeriodSeconds\":60}");
      assertEquals(200, longer.status(), longer.raw());
      assertEquals(45, deletionGrace(longer.body()), "a grace period is never lengthened");
      assertEquals(stays.rv(), longer.rv(), "nothing was written");
      ApiHttp.Reply again = api.delete(pods + "/web");
      assertEquals(45, deletionGrace(again.body()), "a DELETE without options leaves a pending deletion as it is");

      ApiHttp.Reply shorter = api.delete(pods + "/web", "{\"apiVersion\":\"v1\",\"kind\":\"DeleteOptions\","
          + "\"gracePeriodSeconds\":10}");
      assertEquals(200, shorter.status(), shorter.raw());
      assertEquals(10, deletionGrace(shorter.body()));
      assertEquals(deadline.minusSeconds(35), deletionTimestamp(shorter.body()),
          "the deadline moves back by what was taken off");
      JsonNode shortened = nextEvent(watch);
      assertEquals("MODIFIED", shortened.path("type").asText(), shortened.toString());
      assertEquals(10, deletionGrace(shortened.path("object")));

      // kubectl delete --grace-period=0 --force sends gracePeriodSeconds=0: the pod goes at once.
      ApiHttp.Reply forced = api.send("DELETE", pods + "/web?gracePeriodSeconds=0", null, null);
      assertEquals(200, forced.status(), forced.raw());
      assertEquals(404, api.get(pods + "/web").status());
      JsonNode deleted = nextEvent(watch);
      assertEquals("DELETED", deleted.path("type").asText(), deleted.toString());
      assertEquals(0, deletionGrace(deleted.path("object")));
    }
  }

  @Test
  void theRequestsGracePeriodWinsOverTheSpecsAndZeroDeletesABoundPodAtOnce() {
    String pods = namespace("options");
    createPod(pods, "short", "n1", null, null);
    ApiHttp.Reply r = api.delete(pods + "/short", "{\"gracePeriodSeconds\":5}");
    assertEquals(5, deletionGrace(r.body()), r.raw());
    ApiHttp.Reply query = api.send("DELETE", pods + "/short?gracePeriodSeconds=2", null, null);
    assertEquals(2, deletionGrace(query.body()), "without a body the query's gracePeriodSeconds counts");

    createPod(pods, "defaulted", "n1", null, null);
    assertEquals(30, deletionGrace(api.delete(pods + "/defaulted").body()), "terminationGracePeriodSeconds defaults to 30");

    createPod(pods, "now", "n1", 30, null);
    ApiHttp.Reply zero = api.delete(pods + "/now", "{\"gracePeriodSeconds\":0}");
    assertEquals(200, zero.status(), zero.raw());
    assertEquals(404, api.get(pods + "/now").status());

    ApiHttp.Reply bad = api.send("DELETE", pods + "/short?gracePeriodSeconds=soon", null, null);
    assertEquals(400, bad.status(), bad.raw());
    ApiHttp.Reply badBody = api.delete(pods + "/short", "{\"gracePeriodSeconds\":\"soon\"}");
    assertEquals(400, badBody.status(), badBody.raw());
  }

  @Test
  void aPodBoundToNoNodeOrAlreadyFinishedIsDeletedAtOnce() throws Exception {
    String pods = namespace("immediate");
    JsonNode unbound = createPod(pods, "pending", "", 30, null);
    try (ApiHttp.Watch watch = watchAfter(pods, unbound)) {
      assertEquals(200, api.delete(pods + "/pending").status());
      assertEquals(404, api.get(pods + "/pending").status());
      assertEquals("DELETED", nextEvent(watch).path("type").asText());
    }
    for (String phase : List.of("Succeeded", "Failed")) {
      String name = phase.toLowerCase();
      ObjectNode pod = (ObjectNode) createPod(pods, name, "n1", 30, null);
      pod.putObject("status").put("phase", phase);
      assertEquals(200, api.put(pods + "/" + name + "/status", pod.toString()).status());
      assertEquals(200, api.delete(pods + "/" + name).status());
      assertEquals(404, api.get(pods + "/" + name).status(), "a " + phase + " pod goes at once");
    }
  }

  @Test
  void finalizersHoldATerminatingPodAfterItsGracePeriod() {
    String pods = namespace("held");
    createPod(pods, "held", "n1", 30, "[\"example.com/hold\"]");
    assertEquals(30, deletionGrace(api.delete(pods + "/held").body()));
    ApiHttp.Reply forced = api.delete(pods + "/held", "{\"gracePeriodSeconds\":0}");
    assertEquals(200, forced.status(), forced.raw());
    assertEquals(0, deletionGrace(api.get(pods + "/held").body()), "the finalizer holds it");
    ApiHttp.Reply released = api.send("PATCH", pods + "/held", "application/merge-patch+json",
        "{\"metadata\":{\"finalizers\":null}}".getBytes(StandardCharsets.UTF_8));
    assertEquals(200, released.status(), released.raw());
    assertEquals(404, api.get(pods + "/held").status());
  }

  @Test
  void deletingANodeForceDeletesItsPods() {
    String pods = namespace("podgc");
    assertEquals(201, api.post("/api/v1/nodes", "{\"apiVersion\":\"v1\",\"kind\":\"Node\","
        + "\"metadata\":{\"name\":\"doomed\"}}").status());
    createPod(pods, "running", "doomed", 30, null);
    createPod(pods, "terminating", "doomed", 30, null);
    createPod(pods, "elsewhere", "other-node", 30, null);
    assertTrue(api.delete(pods + "/terminating").body().path("metadata").hasNonNull("deletionTimestamp"));

    assertEquals(200, api.delete("/api/v1/nodes/doomed").status());
    await().atMost(Duration.ofSeconds(30)).until(() -> api.get(pods + "/running").status() == 404
        && api.get(pods + "/terminating").status() == 404);
    JsonNode kept = api.get(pods + "/elsewhere").body();
    assertFalse(kept.path("metadata").has("deletionTimestamp"), "pods of other nodes are left alone");
  }
}
