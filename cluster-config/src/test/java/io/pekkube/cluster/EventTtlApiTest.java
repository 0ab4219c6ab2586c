package io.pekkube.cluster;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.typesafe.config.ConfigFactory;
import io.pekkube.cluster.settings.NodeSettings;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * The Event TTL over real HTTP against an in-process node with {@code pekkube.events.ttl} of 4 s: Events of
 * both API groups are deleted once the TTL has passed since their last write (a watch sees DELETED), an
 * Event written again lives on, other objects are left alone, and an Event whose time ran out while the
 * server was down is deleted right after it starts again.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class EventTtlApiTest {
  private static final Duration TTL = Duration.ofSeconds(4);
  private static final Duration DEADLINE = Duration.ofSeconds(30);
  private Path dir;
  private PekkubeNode node;
  private ApiHttp api;

  @BeforeAll
  void start() throws Exception {
    dir = Files.createTempDirectory(Path.of(System.getProperty("java.io.tmpdir")), "pekkube-event-ttl-");
    startNode(TTL);
  }

  private void startNode(Duration ttl) throws Exception {
    node = PekkubeNode.start(new NodeSettings(dir, "127.0.0.1", 0, ApiContract.freePort(), List.of(),
            List.of("control-plane"), "embedded", "event-ttl-node"),
        ConfigFactory.parseString("pekko.actor.serialize-messages = on\n"
            + "pekkube.events.ttl = " + ttl.toSeconds() + "s"));
    api = new ApiHttp(node.apiPort());
  }

  @AfterAll
  void stop() {
    if (node != null) {
      node.close();
    }
  }

  /** A core/v1 Event whose reporter's times are years old: they must not count as its last write. */
  private static String coreEvent(String ns, String name) {
    return "{\"apiVersion\":\"v1\",\"kind\":\"Event\",\"metadata\":{\"name\":\"" + name + "\",\"namespace\":\"" + ns
        + "\"},\"involvedObject\":{\"kind\":\"ConfigMap\",\"namespace\":\"" + ns + "\",\"name\":\"cm\"},"
        + "\"reason\":\"Tested\",\"message\":\"first\",\"type\":\"Normal\",\"count\":1,"
        + "\"firstTimestamp\":\"2020-01-01T00:00:00Z\",\"lastTimestamp\":\"2020-01-01T00:00:00Z\","
        + "\"source\":{\"component\":\"event-ttl-test\"}}";
  }

  private static String eventsPath(String ns) {
    return "/api/v1/namespaces/" + ns + "/events";
  }

  private void create(String path, String json) {
    ApiHttp.Reply r = api.post(path, json);
    assertEquals(201, r.status(), r.raw());
  }

  private void awaitGone(String path) {
    await().atMost(DEADLINE).pollInterval(Duration.ofMillis(100)).until(() -> api.get(path).status() == 404);
  }

  /** Lets wall-clock time pass until {@code nanoTime} reaches {@code until}: time is what these tests are about. */
  private static void sleepUntil(long until) throws InterruptedException {
    long left = until - System.nanoTime();
    if (left > 0) {
      TimeUnit.NANOSECONDS.sleep(left);
    }
  }

  /** The Event at {@code path} goes, and no sooner than the TTL after {@code lastWrite} (a nanoTime). */
  private void awaitExpired(String path, long lastWrite) {
    awaitGone(path);
    assertTtlPassedSince(lastWrite);
  }

  private static void assertTtlPassedSince(long lastWrite) {
    long elapsed = System.nanoTime() - lastWrite;
    assertTrue(elapsed >= TTL.toNanos(), "deleted " + elapsed + " ns after its last write, before the TTL");
  }

  @Test
  void aCreatedEventIsDeletedOnceTheTtlHasPassedAndAWatchSeesItGo() throws Exception {
    String ns = api.createNamespace("ttl");
    ApiHttp.Reply configMap = api.post("/api/v1/namespaces/" + ns + "/configmaps",
        "{\"apiVersion\":\"v1\",\"kind\":\"ConfigMap\",\"metadata\":{\"name\":\"cm\"},\"data\":{\"k\":\"v\"}}");
    assertEquals(201, configMap.status(), configMap.raw());
    try (ApiHttp.Watch watch = api.watch(eventsPath(ns) + "?watch=true")) {
      assertEquals(200, watch.status);
      long created = System.nanoTime();
      create(eventsPath(ns), coreEvent(ns, "started"));
      JsonNode deleted = null;
      long end = System.nanoTime() + DEADLINE.toNanos();
      while (deleted == null && System.nanoTime() < end) {
        JsonNode e = watch.next(Duration.ofSeconds(1));
        if (e != null && "DELETED".equals(e.path("type").asText())) {
          deleted = e;
        }
      }
      assertTrue(deleted != null, "the watch saw no DELETED");
      assertTtlPassedSince(created);
      assertEquals("started", deleted.path("object").path("metadata").path("name").asText());
    }
    assertEquals(404, api.get(eventsPath(ns) + "/started").status());
    assertEquals(0, api.get(eventsPath(ns)).body().path("items").size(), "the list (the hub's cache) dropped it");
    ApiHttp.Reply cm = api.get("/api/v1/namespaces/" + ns + "/configmaps/cm");
    assertEquals(200, cm.status(), "a ConfigMap has no TTL");
    assertEquals(configMap.rv(), cm.rv());
  }

  @Test
  void anEventsK8sIoEventIsDeletedOnceTheTtlHasPassed() {
    String ns = api.createNamespace("ttl-v1");
    String path = "/apis/events.k8s.io/v1/namespaces/" + ns + "/events";
    long created = System.nanoTime();
    create(path, "{\"apiVersion\":\"events.k8s.io/v1\",\"kind\":\"Event\",\"metadata\":{\"name\":\"pulled\","
        + "\"namespace\":\"" + ns + "\"},\"eventTime\":\"2020-01-01T00:00:00.000000Z\","
        + "\"reportingController\":\"pekkube.io/test\",\"reportingInstance\":\"test-1\",\"action\":\"Pulling\","
        + "\"reason\":\"Pulled\",\"type\":\"Normal\",\"note\":\"pulled\",\"regarding\":{\"kind\":\"Pod\","
        + "\"namespace\":\"" + ns + "\",\"name\":\"p\"}}");
    awaitExpired(path + "/pulled", created);
  }

  @Test
  void anEventWrittenAgainLivesTheTtlFromItsLastWrite() throws Exception {
    String ns = api.createNamespace("ttl-update");
    long created = System.nanoTime();
    create(eventsPath(ns), coreEvent(ns, "repeated"));
    sleepUntil(created + TTL.toNanos() * 5 / 8);
    ObjectNode event = (ObjectNode) api.get(eventsPath(ns) + "/repeated").body();
    event.put("count", 2).put("message", "again");
    long updated = System.nanoTime();
    ApiHttp.Reply r = api.put(eventsPath(ns) + "/repeated", event.toString());
    assertEquals(200, r.status(), r.raw());

    // Past the deadline its creation gave it (by over a second), yet before the one its update gave it.
    sleepUntil(created + TTL.toNanos() + Duration.ofMillis(1500).toNanos());
    ApiHttp.Reply alive = api.get(eventsPath(ns) + "/repeated");
    assertEquals(200, alive.status(), "deleted a TTL after its creation, not after its last write");
    assertEquals(2, alive.body().path("count").asInt());
    awaitExpired(eventsPath(ns) + "/repeated", updated);
  }

  /**
   * Restarted with a TTL of 10 s, so that "right after the start" (within 5 s) cannot be the TTL counted from
   * the restart, whenever during the start the controller lists. Runs last: the node keeps that TTL.
   */
  @Test
  @Order(Integer.MAX_VALUE)
  void anEventWhoseTimeRanOutWhileTheServerWasDownIsDeletedRightAfterItStarts() throws Exception {
    Duration longerTtl = Duration.ofSeconds(10);
    String ns = api.createNamespace("ttl-restart");
    long created = System.nanoTime();
    create(eventsPath(ns), coreEvent(ns, "old"));
    node.close();
    sleepUntil(created + longerTtl.toNanos() + Duration.ofSeconds(1).toNanos());
    startNode(longerTtl);
    create(eventsPath(ns), coreEvent(ns, "fresh"));

    await().atMost(longerTtl.dividedBy(2)).pollInterval(Duration.ofMillis(100))
        .until(() -> api.get(eventsPath(ns) + "/old").status() == 404);
    assertEquals(200, api.get(eventsPath(ns) + "/fresh").status(), "an Event written after the start lives on");
  }
}
