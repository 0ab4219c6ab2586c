package io.pekkube.actors.resources;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.pekkube.actors.api.BuiltinTypes;
import io.pekkube.actors.api.Json;
import io.pekkube.actors.resources.ObjectWrites.ChangeKind;
import io.pekkube.actors.resources.ObjectWrites.Decision;
import io.pekkube.actors.resources.ObjectWrites.Persist;
import io.pekkube.actors.resources.ObjectWrites.Unchanged;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** A pod's DELETE as the registry's BeforeDelete and the pod strategy's CheckGracefulDelete decide it. */
class GracefulDeletionTest {
  static final Instant NOW = Instant.parse("2024-05-01T10:00:00Z");

  /** A pod as stored: bound to {@code node} ("" for none), with the spec's grace period and a phase. */
  static ObjectNode pod(String node, Integer terminationGrace, String phase) {
    ObjectNode o = Json.object();
    o.put("apiVersion", "v1").put("kind", "Pod");
    o.putObject("metadata").put("name", "p").put("namespace", "ns").put("uid", "u1").put("resourceVersion", "5")
        .put("generation", 1);
    ObjectNode spec = o.putObject("spec");
    if (!node.isEmpty()) {
      spec.put("nodeName", node);
    }
    if (terminationGrace != null) {
      spec.put("terminationGracePeriodSeconds", terminationGrace);
    }
    spec.putArray("containers").addObject().put("name", "c").put("image", "busybox");
    if (!phase.isEmpty()) {
      o.putObject("status").put("phase", phase);
    }
    return o;
  }

  static Decision delete(ObjectNode pod, Long grace, Instant at) {
    return ObjectWrites.delete(BuiltinTypes.POD, pod, "p", "", "", "", grace, at, 9);
  }

  static Persist persisted(ObjectNode pod, Long grace, Instant at) {
    return assertInstanceOf(Persist.class, delete(pod, grace, at));
  }

  @Test
  void aBoundPodIsMarkedWithTheSpecsGracePeriodAndStays() {
    Persist p = persisted(pod("n1", 30, "Running"), null, NOW);
    assertEquals(ChangeKind.MODIFIED, p.kind());
    assertEquals("2024-05-01T10:00:30Z", Json.meta(p.object(), "deletionTimestamp"));
    assertEquals(30, p.object().path("metadata").path("deletionGracePeriodSeconds").asLong());
    assertEquals(2, p.object().path("metadata").path("generation").asLong());
    assertEquals("9", Json.meta(p.object(), "resourceVersion"));
  }

  @Test
  void theRequestsGracePeriodWinsOverTheSpecs() {
    Persist p = persisted(pod("n1", 30, "Running"), 5L, NOW);
    assertEquals(ChangeKind.MODIFIED, p.kind());
    assertEquals("2024-05-01T10:00:05Z", Json.meta(p.object(), "deletionTimestamp"));
    assertEquals(5, p.object().path("metadata").path("deletionGracePeriodSeconds").asLong());
  }

  @Test
  void aNegativeGracePeriodCountsAsOneSecond() {
    Persist p = persisted(pod("n1", 30, "Running"), -7L, NOW);
    assertEquals(1, p.object().path("metadata").path("deletionGracePeriodSeconds").asLong());
  }

  @Test
  void gracePeriodZeroDeletesABoundPodAtOnce() {
    Persist p = persisted(pod("n1", 30, "Running"), 0L, NOW);
    assertEquals(ChangeKind.DELETED, p.kind());
    assertEquals("2024-05-01T10:00:00Z", Json.meta(p.object(), "deletionTimestamp"));
    assertEquals(0, p.object().path("metadata").path("deletionGracePeriodSeconds").asLong());
  }

  @Test
  void aPodBoundToNoNodeGoesAtOnceWhateverTheRequest() {
    assertEquals(ChangeKind.DELETED, persisted(pod("", 30, "Pending"), null, NOW).kind());
    assertEquals(ChangeKind.DELETED, persisted(pod("", 30, "Pending"), 60L, NOW).kind());
  }

  @Test
  void aSucceededOrFailedPodGoesAtOnce() {
    assertEquals(ChangeKind.DELETED, persisted(pod("n1", 30, "Succeeded"), null, NOW).kind());
    assertEquals(ChangeKind.DELETED, persisted(pod("n1", 30, "Failed"), 10L, NOW).kind());
  }

  @Test
  void aPodWithoutASpecGracePeriodGoesAtOnceUnlessTheRequestGivesOne() {
    assertEquals(ChangeKind.DELETED, persisted(pod("n1", null, "Running"), null, NOW).kind());
    assertEquals(ChangeKind.MODIFIED, persisted(pod("n1", null, "Running"), 3L, NOW).kind());
  }

  @Test
  void aSecondDeleteWithAShorterGracePeriodShortensIt() {
    ObjectNode terminating = persisted(pod("n1", 30, "Running"), null, NOW).object();
    Persist p = persisted(terminating, 10L, NOW.plusSeconds(5));
    assertEquals(ChangeKind.MODIFIED, p.kind());
    // The deadline moves back by the difference: started at NOW, now 10 s long.
    assertEquals("2024-05-01T10:00:10Z", Json.meta(p.object(), "deletionTimestamp"));
    assertEquals(10, p.object().path("metadata").path("deletionGracePeriodSeconds").asLong());
    assertEquals(2, p.object().path("metadata").path("generation").asLong());
  }

  @Test
  void aSecondDeleteNeverLengthensTheGracePeriod() {
    ObjectNode terminating = persisted(pod("n1", 30, "Running"), null, NOW).object();
    assertInstanceOf(Unchanged.class, delete(terminating, 60L, NOW.plusSeconds(1)));
    assertInstanceOf(Unchanged.class, delete(terminating, 30L, NOW.plusSeconds(1)));
    assertInstanceOf(Unchanged.class, delete(terminating, null, NOW.plusSeconds(1)));
  }

  @Test
  void theKubeletsFinalDeleteWithGraceZeroRemovesATerminatingPod() {
    ObjectNode terminating = persisted(pod("n1", 30, "Running"), null, NOW).object();
    Persist p = assertInstanceOf(Persist.class, ObjectWrites.delete(BuiltinTypes.POD, terminating, "p", "u1", "", "",
        0L, NOW.plusSeconds(3), 10));
    assertEquals(ChangeKind.DELETED, p.kind());
    assertEquals("2024-05-01T10:00:00Z", Json.meta(p.object(), "deletionTimestamp"));
  }

  @Test
  void finalizersStillHoldAPodWhoseGracePeriodEnded() {
    ObjectNode held = pod("n1", 30, "Running");
    Json.metadata(held).putArray("finalizers").add("example.com/hold");
    ObjectNode terminating = persisted(held, null, NOW).object();
    Persist p = persisted(terminating, 0L, NOW.plusSeconds(3));
    assertEquals(ChangeKind.MODIFIED, p.kind());
    assertEquals(0, p.object().path("metadata").path("deletionGracePeriodSeconds").asLong());
    // With no grace left, removing the finalizer lets it go.
    ObjectNode released = p.object().deepCopy();
    Json.metadata(released).remove("finalizers");
    assertEquals(ChangeKind.DELETED, assertInstanceOf(Persist.class,
        ObjectWrites.update(BuiltinTypes.POD, p.object(), released, false, 11)).kind());
  }

  @Test
  void updatingAPodDuringItsGracePeriodKeepsIt() {
    ObjectNode terminating = persisted(pod("n1", 30, "Running"), null, NOW).object();
    ObjectNode status = terminating.deepCopy();
    ((ObjectNode) status.get("status")).put("phase", "Failed");
    Persist p = assertInstanceOf(Persist.class, ObjectWrites.update(BuiltinTypes.POD, terminating, status, true, 10));
    assertEquals(ChangeKind.MODIFIED, p.kind());
    assertEquals("Failed", p.object().path("status").path("phase").asText());
  }

  @Test
  void otherTypesIgnoreTheGracePeriod() {
    ObjectNode cm = Json.object();
    cm.put("apiVersion", "v1").put("kind", "ConfigMap");
    cm.putObject("metadata").put("name", "p").put("namespace", "ns").put("uid", "u1").put("resourceVersion", "5");
    Persist p = assertInstanceOf(Persist.class, ObjectWrites.delete(BuiltinTypes.CONFIG_MAP, cm, "p", "", "", "",
        30L, NOW, 9));
    assertEquals(ChangeKind.DELETED, p.kind());
    assertFalse(p.object().path("metadata").has("deletionGracePeriodSeconds"));
  }
}
