package io.pekkube.scenarios;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.pekkube.cluster.ApiHttp;
import io.pekkube.fixture.ClusterFixture;
import io.pekkube.fixture.FailoverProbe;
import io.pekkube.fixture.FailoverTimeline;
import io.pekkube.fixture.ReadLoad;
import io.pekkube.fixture.ReliabilityReport;
import io.pekkube.fixture.ServerProcess;
import io.pekkube.fixture.WriteLoad;
import io.pekkube.persistence.journal.RealCassandra;
import java.nio.file.Files;
import java.time.Duration;
import java.time.LocalTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Three control-plane JVMs of the real launcher on a real Cassandra: one consistent API through any
 * of them, and no acknowledged write or watch event lost when one is killed with SIGKILL.
 */
@ExtendWith(RealCassandra.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ControlPlaneClusterTest {
  private static final String SUITE = "ControlPlaneClusterTest";
  private ClusterFixture cluster;

  @BeforeAll
  void startCluster() throws Exception {
    cluster = ClusterFixture.start(3, RealCassandra.storeUri());
  }

  @AfterAll
  void stopCluster() throws Exception {
    ReliabilityReport.write(SUITE);
    if (cluster != null) {
      cluster.close();
    }
  }

  private ApiHttp api(int member) {
    return new ApiHttp(cluster.member(member).apiPort());
  }

  private static String configMap(String name, String value) {
    return "{\"metadata\":{\"name\":\"" + name + "\"},\"data\":{\"v\":\"" + value + "\"}}";
  }

  @Test
  @Order(1)
  void writesThroughOneNodeAreReadAndWatchedThroughTheOthersInOrderExactlyOnce() throws Exception {
    ApiHttp a = api(0);
    ApiHttp b = api(1);
    ApiHttp c = api(2);
    assertEquals(201, a.post("/api/v1/namespaces", "{\"metadata\":{\"name\":\"spread\"}}").status());
    String base = "/api/v1/namespaces/spread/configmaps";
    String rv = b.get(base).rv();
    List<String> written = new ArrayList<>();
    try (ApiHttp.Watch wb = b.watch(base + "?watch=1&resourceVersion=" + rv);
         ApiHttp.Watch wc = c.watch(base + "?watch=1&resourceVersion=" + rv)) {
      for (int i = 0; i < 20; i++) {
        ApiHttp.Reply r = a.post(base, configMap("cm-" + i, "0"));
        assertEquals(201, r.status(), r.raw());
        written.add("ADDED cm-" + i + "@" + r.rv());
      }
      for (int i = 0; i < 20; i++) {
        JsonNode current = a.get(base + "/cm-" + i).body();
        ApiHttp.Reply r = a.put(base + "/cm-" + i, current.toString().replace("\"v\":\"0\"", "\"v\":\"1\""));
        assertEquals(200, r.status(), r.raw());
        written.add("MODIFIED cm-" + i + "@" + r.rv());
      }
      assertEquals(written, events(wb, written.size()), "watch through node B");
      assertEquals(written, events(wc, written.size()), "watch through node C");
    }
    for (int i = 0; i < 20; i++) {
      JsonNode viaA = a.get(base + "/cm-" + i).body();
      assertEquals(viaA, b.get(base + "/cm-" + i).body());
      assertEquals(viaA, c.get(base + "/cm-" + i).body());
    }
    assertEquals(a.get(base).body().path("items"), c.get(base).body().path("items"));
    ReliabilityReport.record(SUITE, "1. 20 creates and 20 updates through node A, watched through B and C",
        "both watches saw all " + written.size() + " changes in revision order, exactly once; GET and LIST "
            + "identical through A, B and C");
  }

  private static List<String> events(ApiHttp.Watch watch, int n) throws InterruptedException {
    List<String> seen = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      JsonNode e = watch.next(Duration.ofSeconds(30));
      assertNotNull(e, "watch stalled after " + seen);
      seen.add(e.path("type").asText() + " " + e.path("object").path("metadata").path("name").asText() + "@"
          + e.path("object").path("metadata").path("resourceVersion").asText());
    }
    return seen;
  }

  @Test
  @Order(2)
  void whileCassandraIsDownWritesFailCleanlyAndNothingAcknowledgedIsLost() throws Exception {
    ApiHttp a = api(0);
    assertEquals(201, a.post("/api/v1/namespaces", "{\"metadata\":{\"name\":\"store-outage\"}}").status());
    WriteLoad load = new WriteLoad(cluster.urls(), "store-outage", 8, 100_000);
    awaitAcknowledged(load, 100);
    RealCassandra.instance().kill();
    long killedAt = System.nanoTime();
    // While the store is down no write may be acknowledged: every answer is an error Status.
    int failuresAtKill = load.failures();
    long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    while (load.failures() < failuresAtKill + 16 && System.nanoTime() < until) {
      TimeUnit.MILLISECONDS.sleep(100);
    }
    int ackedWhileDown = load.acknowledgedCount();
    ApiHttp.Reply during = a.post("/api/v1/namespaces/store-outage/configmaps", configMap("during-outage", "x"));
    RealCassandra.instance().restart();
    long restartedAt = System.nanoTime();
    awaitAcknowledged(load, ackedWhileDown + 100);
    load.stopAndWait();
    Map<String, String> acknowledged = load.acknowledgedRevisions();
    List<String> listed = WriteLoad.listNames(cluster.member(1).url(), "store-outage");
    Set<String> lost = new HashSet<>(acknowledged.keySet());
    lost.removeAll(listed);
    ReliabilityReport.record(SUITE, "3. Cassandra killed with SIGKILL under 8 writers, restarted on the same data",
        String.format("%d writes acknowledged, **%d lost**, %d failed; a write during the outage answered %d %s; "
            + "every write sent more than %.1f s after Cassandra was accepting connections again succeeded (it was "
            + "down for %.1f s, restart included)",
        acknowledged.size(), lost.size(), load.failures(), during.status(), during.body().path("reason").asText(),
        Math.max(0, load.lastFailedSendNanos() - restartedAt) / 1e9, (restartedAt - killedAt) / 1e9));
    assertTrue(during.status() == 503 || during.status() == 504, during.raw());
    assertEquals("Status", during.body().path("kind").asText());
    assertTrue(lost.isEmpty(), "acknowledged writes lost: " + lost);
  }

  @Test
  @Order(3)
  void aRollingRestartOfEveryNodeUnderLoadFailsNoRead() throws Exception {
    ApiHttp a = api(0);
    assertEquals(201, a.post("/api/v1/namespaces", "{\"metadata\":{\"name\":\"rolling\"}}").status());
    for (int i = 0; i < 20; i++) {
      assertEquals(201, a.post("/api/v1/namespaces/rolling/configmaps", configMap("r" + i, "x")).status());
    }
    ReadLoad reads = new ReadLoad(cluster.urls(), "/api/v1/namespaces/rolling/configmaps/r", 20, 4);
    try {
      for (int i = 0; i < cluster.size(); i++) {
        cluster.member(i).stop();
        cluster.member(i).start();
      }
    } finally {
      reads.stop();
    }
    ReliabilityReport.record(SUITE, "5. rolling restart (SIGTERM, start) of all " + cluster.size()
        + " nodes under 4 readers", (reads.ok() + reads.failed()) + " reads, **" + reads.failed() + " failed**");
    assertTrue(reads.ok() > 0);
    assertEquals(0, reads.failed(), "failed reads: " + reads.failures());
  }

  private static void awaitAcknowledged(WriteLoad load, int count) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
    while (load.acknowledgedCount() < count) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("only " + load.acknowledgedCount() + " writes acknowledged, expected " + count);
      }
      TimeUnit.MILLISECONDS.sleep(50);
    }
  }

  @Test
  @Order(4)
  void aPartitionedMinorityIsDownedTheMajorityKeepsServingAndTheNodeRejoinsAfterHealing() throws Exception {
    ApiHttp a = api(0);
    assertEquals(201, a.post("/api/v1/namespaces", "{\"metadata\":{\"name\":\"split\"}}").status());
    assertEquals(201, a.post("/api/v1/namespaces", "{\"metadata\":{\"name\":\"split-minority\"}}").status());
    WriteLoad majority = new WriteLoad(List.of(cluster.member(0).url(), cluster.member(1).url()), "split", 4, 100_000);
    WriteLoad minority = new WriteLoad(List.of(cluster.member(2).url()), "split-minority", 2, 100_000);
    awaitAcknowledged(majority, 100);
    awaitAcknowledged(minority, 20);
    cluster.partition(2);
    long partitionedAt = System.nanoTime();
    int majorityAtPartition = majority.acknowledgedCount();
    // The split-brain resolver downs the minority; the node then leaves for good (its JVM exits).
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
    while (cluster.member(2).isAlive() && System.nanoTime() < deadline) {
      TimeUnit.MILLISECONDS.sleep(100);
    }
    double downedAfter = (System.nanoTime() - partitionedAt) / 1e9;
    assertTrue(!cluster.member(2).isAlive(), "the partitioned node still runs after 90 s");
    awaitAcknowledged(majority, majorityAtPartition + 100);
    cluster.heal();
    cluster.member(2).start();
    double rejoinedAfter = (System.nanoTime() - partitionedAt) / 1e9;
    majority.stopAndWait();
    minority.stopAndWait();
    ApiHttp.Reply viaRejoined = api(2).post("/api/v1/namespaces/split-minority/configmaps", configMap("after-heal", "x"));
    assertEquals(201, viaRejoined.status(), viaRejoined.raw());
    Set<String> lost = new HashSet<>(majority.acknowledged());
    lost.removeAll(WriteLoad.listNames(cluster.member(1).url(), "split"));
    Set<String> lostMinority = new HashSet<>(minority.acknowledged());
    lostMinority.removeAll(WriteLoad.listNames(cluster.member(1).url(), "split-minority"));
    ReliabilityReport.record(SUITE, "4. one node of three partitioned (iptables on its cluster address), writers "
        + "on both sides", String.format("minority downed by the split-brain resolver %.1f s after the partition; "
            + "majority acknowledged %d (%d after the partition), **lost %d**; minority acknowledged %d, **lost %d**; "
            + "rejoined after healing (%.1f s after the partition)",
        downedAfter, majority.acknowledgedCount(), majority.acknowledgedCount() - majorityAtPartition, lost.size(),
        minority.acknowledgedCount(), lostMinority.size(), rejoinedAfter));
    assertTrue(lost.isEmpty(), "majority writes lost: " + lost);
    assertTrue(lostMinority.isEmpty(), "writes acknowledged by the minority lost: " + lostMinority);
  }

  @Test
  @Order(5)
  void killingANodeUnderLoadLosesNoAcknowledgedWriteAndAResumedWatchMissesNothing() throws Exception {
    ApiHttp first = api(0);
    assertEquals(201, first.post("/api/v1/namespaces", "{\"metadata\":{\"name\":\"load\"}}").status());
    String base = "/api/v1/namespaces/load/configmaps";
    String rv0 = first.get(base).rv();
    Map<String, String> seenByWatch = new HashMap<>();
    Set<String> duplicates = new HashSet<>();
    String lastRv = rv0;
    WriteLoad load = new WriteLoad(cluster.urls(), "load", 8, 100_000);
    long killedAt;
    LocalTime killedAtClock;
    FailoverProbe probe;
    awaitAcknowledged(load, 50);
    // The node whose loss moves the most state: the most shards of objects and hubs.
    int victimIndex = cluster.memberHostingMostShards();
    int shardsOnVictim = cluster.shardsHostedBy(victimIndex);
    int shardsInAll = 0;
    for (int i = 0; i < cluster.size(); i++) {
      shardsInAll += cluster.shardsHostedBy(i);
    }
    ApiHttp victim = api(victimIndex);
    ApiHttp survivor = api((victimIndex + 1) % cluster.size());
    try (ApiHttp.Watch watch = victim.watch(base + "?watch=1&resourceVersion=" + rv0)) {
      while (load.acknowledgedCount() < 200) {
        lastRv = drain(watch, seenByWatch, duplicates, lastRv, Duration.ofMillis(100));
      }
      // The kill's instant is when SIGKILL is sent: kill9 returns only once the process is reaped.
      killedAtClock = LocalTime.now();
      killedAt = System.nanoTime();
      cluster.member(victimIndex).kill9();
      List<String> survivorUrls = new ArrayList<>(cluster.urls());
      survivorUrls.remove(victimIndex);
      probe = new FailoverProbe(survivorUrls, "load");
      lastRv = drain(watch, seenByWatch, duplicates, lastRv, Duration.ofSeconds(2));
    }
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
    int ackedAtKill = load.acknowledgedCount();
    while (load.acknowledgedCount() < ackedAtKill + 200 && System.nanoTime() < deadline) {
      TimeUnit.MILLISECONDS.sleep(100);
    }
    load.stopAndWait();
    probe.close();
    probe.writeTo(cluster.member(victimIndex).dataDir().resolveSibling("failover-probes.tsv"), killedAt);
    // Failover: from the kill until the dead node's shards served again (FailoverProbe: writes that keep
    // coming while the load's clients may all be blocked on writes lost in the dead node); also when the
    // last failing write was sent, and when a client last saw a failure (a write sent into the dead node's
    // shards fails only when the gateway's ask times out).
    long servingAgain = probe.servingAgainNanos();
    // Only reported: that the shards serve again is asserted by the writes that resume (below). A probe
    // that timed out last on a loaded machine leaves no answer after it, which says nothing of the failover.
    String failover = servingAgain > 0 ? String.format("%.1f s", (servingAgain - killedAt) / 1e9)
        : "not seen (the last probe failed)";
    double lastFailedSendSeconds = Math.max(0, load.lastFailedSendNanos() - killedAt) / 1e9;
    double lastFailureSeconds = Math.max(0, load.lastFailureNanos() - killedAt) / 1e9;
    List<ServerProcess> survivors = new ArrayList<>();
    for (int i = 0; i < cluster.size(); i++) {
      if (i != victimIndex) {
        survivors.add(cluster.member(i));
      }
    }
    String timeline = FailoverTimeline.read(killedAtClock, cluster.member(victimIndex), survivors).summary();
    Map<String, String> acknowledged = load.acknowledgedRevisions();
    assertTrue(load.acknowledgedCount() >= ackedAtKill + 200, "writes did not resume after the kill");

    // The watch resumes on a surviving node from the last revision it saw.
    try (ApiHttp.Watch resumed = survivor.watch(base + "?watch=1&resourceVersion=" + lastRv)) {
      long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
      while (!seenByWatch.keySet().containsAll(acknowledged.keySet()) && System.nanoTime() < until) {
        lastRv = drain(resumed, seenByWatch, duplicates, lastRv, Duration.ofMillis(500));
      }
    }
    List<String> listed = WriteLoad.listNames(cluster.member((victimIndex + 1) % cluster.size()).url(), "load");
    Set<String> lost = new HashSet<>(acknowledged.keySet());
    lost.removeAll(listed);
    Set<String> missedByWatch = new HashSet<>(acknowledged.keySet());
    missedByWatch.removeAll(seenByWatch.keySet());
    long wrongRevision = acknowledged.entrySet().stream()
        .filter(e -> seenByWatch.containsKey(e.getKey()) && !seenByWatch.get(e.getKey()).equals(e.getValue())).count();
    ReliabilityReport.record(SUITE, "2. node hosting the most shards (" + shardsOnVictim + " of " + shardsInAll + ") killed with "
        + "SIGKILL under 8 writers spread over the nodes; a watch opened on it resumes on a survivor",
        String.format("%d writes acknowledged, **%d lost**, **%d watch gaps**, **%d duplicates**, %d revision "
            + "mismatches; **failover %s** (kill → its shards served again; %d of %d probes failed, sent at %s; "
            + "the survivors' logs: %s); last failing write sent %.1f s and last failure seen by a client %.1f s "
            + "after the kill", acknowledged.size(), lost.size(), missedByWatch.size(), duplicates.size(),
        wrongRevision, failover, probe.failed(), probe.answered(), probe.failedSends(killedAt), timeline,
        lastFailedSendSeconds, lastFailureSeconds));
    assertTrue(lost.isEmpty(), "acknowledged writes lost: " + lost);
    assertTrue(missedByWatch.isEmpty(), "watch gaps: " + missedByWatch);
    assertTrue(duplicates.isEmpty(), "duplicate watch events: " + duplicates);
    assertEquals(0, wrongRevision, "an object seen by the watch with another revision than acknowledged");
    assertEquals(listed.size(), new HashSet<>(listed).size());
  }

  @Test
  @Order(6)
  void aRestartedFirstSeedThatCannotReachTheOthersServesNoWritesAloneAndRejoinsLater() throws Exception {
    // Member 0 is the first seed: restarted while the others cannot answer, it forms a cluster of
    // its own after the seed-node timeout. Having been a member of the larger cluster, it must
    // then refuse writes and report not ready instead of serving beside the real cluster.
    for (int i = 0; i < cluster.size(); i++) {
      if (!cluster.member(i).isAlive()) {
        cluster.member(i).start(); // the node killed by an earlier scenario
      }
    }
    ServerProcess firstSeed = cluster.member(0);
    assertTrue(Files.exists(firstSeed.dataDir().resolve("cluster-member")),
        "the first seed recorded no membership of the cluster");
    firstSeed.kill9();
    cluster.partition(0);
    long restartedAt = System.nanoTime();
    firstSeed.launch();
    ApiHttp alone = api(0);
    String islandReason = "restarted into a cluster of its own";
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
    ApiHttp.Reply ready = null;
    while (System.nanoTime() < deadline) {
      try {
        ready = alone.get("/readyz");
        if (ready.raw().contains(islandReason) || ready.status() == 200) {
          break;
        }
      } catch (RuntimeException notListeningYet) {
        // the JVM is still starting
      }
      TimeUnit.MILLISECONDS.sleep(250);
    }
    double islandAfter = (System.nanoTime() - restartedAt) / 1e9;
    assertTrue(ready != null && ready.raw().contains(islandReason), "the isolated first seed reports: "
        + (ready == null ? "nothing" : ready.status() + " " + ready.raw()));
    assertEquals(503, ready.status());
    ApiHttp.Reply write = alone.post("/api/v1/namespaces/default/configmaps", configMap("island", "x"));
    assertEquals(503, write.status(), write.raw());
    assertEquals("ServiceUnavailable", write.body().path("reason").asText(), write.raw());
    ApiHttp.Reply viaMajority = api(1).post("/api/v1/namespaces/default/configmaps", configMap("beside-island", "x"));
    assertEquals(201, viaMajority.status(), viaMajority.raw());

    cluster.heal();
    firstSeed.kill9();
    firstSeed.start();
    // Just after it rejoined, shards may still be handed over: a write may time out (504, "may or may not
    // have been applied") as a client would see it; like a client, retry until it is acknowledged.
    long rejoinedAt = System.nanoTime();
    ApiHttp.Reply afterRejoin = api(0).post("/api/v1/namespaces/default/configmaps", configMap("after-island", "x"));
    while ((afterRejoin.status() == 503 || afterRejoin.status() == 504)
        && System.nanoTime() - rejoinedAt < TimeUnit.SECONDS.toNanos(60)) {
      TimeUnit.SECONDS.sleep(1);
      afterRejoin = api(0).post("/api/v1/namespaces/default/configmaps", configMap("after-island", "x"));
    }
    double writableAfter = (System.nanoTime() - rejoinedAt) / 1e9;
    boolean createdByARetry = afterRejoin.status() == 409
        && api(0).get("/api/v1/namespaces/default/configmaps/after-island").status() == 200;
    assertTrue(afterRejoin.status() == 201 || createdByARetry, afterRejoin.raw());
    assertEquals(404, api(1).get("/api/v1/namespaces/default/configmaps/island").status());
    ReliabilityReport.record(SUITE, "6. the first seed killed and restarted while cut off from the other seeds",
        String.format("it formed a cluster of its own after %.1f s, reported not ready and refused writes (503); "
            + "the majority kept serving; restarted after healing, it rejoined and its first write was acknowledged "
            + "%.1f s after it reported ready", islandAfter, writableAfter));
  }

  /** Reads the events that arrive within {@code wait}; returns the last revision seen. */
  private static String drain(ApiHttp.Watch watch, Map<String, String> seen, Set<String> duplicates, String lastRv,
      Duration wait) throws InterruptedException {
    JsonNode e = watch.next(wait);
    while (e != null) {
      String type = e.path("type").asText();
      if (type.equals("CLOSED")) {
        return lastRv;
      }
      assertEquals("ADDED", type, e.toString());
      String name = e.path("object").path("metadata").path("name").asText();
      String rv = e.path("object").path("metadata").path("resourceVersion").asText();
      if (seen.put(name, rv) != null) {
        duplicates.add(name);
      }
      assertTrue(Long.parseLong(rv) > Long.parseLong(lastRv), "revision " + rv + " after " + lastRv);
      lastRv = rv;
      e = watch.next(Duration.ofMillis(1));
    }
    return lastRv;
  }
}
