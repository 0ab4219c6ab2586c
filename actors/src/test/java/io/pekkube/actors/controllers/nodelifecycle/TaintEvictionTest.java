package io.pekkube.actors.controllers.nodelifecycle;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.pekkube.actors.api.Json;
import java.time.Instant;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class TaintEvictionTest {
  private static final Instant NOW = Instant.parse("2026-12-07T06:00:00Z");
  private static final Instant ADDED = NOW.minusSeconds(10);
  private static final Taint UNREACHABLE = new Taint(Taint.UNREACHABLE, "", Taint.NO_EXECUTE, ADDED);
  private static final Taint NOT_READY = new Taint(Taint.NOT_READY, "", Taint.NO_EXECUTE, NOW.minusSeconds(5));
  private static final Taint NO_SCHEDULE = Taint.of(Taint.UNREACHABLE, Taint.NO_SCHEDULE);
  private static final Taint DEDICATED = new Taint("dedicated", "gpu", Taint.NO_EXECUTE, ADDED);

  private static String unreachableFor(Long seconds) {
    return "{\"key\":\"node.kubernetes.io/unreachable\",\"operator\":\"Exists\",\"effect\":\"NoExecute\""
        + (seconds == null ? "" : ",\"tolerationSeconds\":" + seconds) + "}";
  }

  static Stream<Arguments> table() {
    TaintEviction.Verdict keep = new TaintEviction.Keep();
    TaintEviction.Verdict now = new TaintEviction.EvictNow();
    return Stream.of(
        // tolerations, node taints, expected
        Arguments.of("[]", List.of(), keep),
        Arguments.of("[]", List.of(NO_SCHEDULE), keep),
        Arguments.of("[]", List.of(UNREACHABLE), now),
        Arguments.of("[" + unreachableFor(30L) + "]", List.of(UNREACHABLE), new TaintEviction.EvictAt(ADDED.plusSeconds(30))),
        Arguments.of("[" + unreachableFor(5L) + "]", List.of(UNREACHABLE), now),
        Arguments.of("[" + unreachableFor(0L) + "]", List.of(UNREACHABLE), now),
        Arguments.of("[" + unreachableFor(-1L) + "]", List.of(UNREACHABLE), now),
        Arguments.of("[" + unreachableFor(null) + "]", List.of(UNREACHABLE), keep),
        // A toleration of another key does not help.
        Arguments.of("[" + unreachableFor(null) + "]", List.of(UNREACHABLE, NOT_READY), now),
        // Exists without a key tolerates everything.
        Arguments.of("[{\"operator\":\"Exists\"}]", List.of(UNREACHABLE, DEDICATED), keep),
        // Equal needs the value.
        Arguments.of("[{\"key\":\"dedicated\",\"operator\":\"Equal\",\"value\":\"gpu\",\"effect\":\"NoExecute\"}]",
            List.of(DEDICATED), keep),
        Arguments.of("[{\"key\":\"dedicated\",\"value\":\"cpu\",\"effect\":\"NoExecute\"}]", List.of(DEDICATED), now),
        // A NoSchedule toleration does not tolerate NoExecute.
        Arguments.of("[{\"key\":\"node.kubernetes.io/unreachable\",\"operator\":\"Exists\",\"effect\":\"NoSchedule\"}]",
            List.of(UNREACHABLE), now),
        // The shortest tolerationSeconds of the tolerations used, from the earliest taint.
        Arguments.of("[" + unreachableFor(null) + ",{\"key\":\"node.kubernetes.io/not-ready\",\"operator\":\"Exists\","
            + "\"effect\":\"NoExecute\",\"tolerationSeconds\":60}]", List.of(UNREACHABLE, NOT_READY),
            new TaintEviction.EvictAt(ADDED.plusSeconds(60))),
        // Without timeAdded the taint counts as added now.
        Arguments.of("[" + unreachableFor(30L) + "]", List.of(new Taint(Taint.UNREACHABLE, "", Taint.NO_EXECUTE, null)),
            new TaintEviction.EvictAt(NOW.plusSeconds(30))));
  }

  @ParameterizedTest
  @MethodSource("table")
  void podGoesWhenItsTolerationsRunOut(String tolerations, List<Taint> taints, TaintEviction.Verdict expected) {
    var pod = Json.parseTrusted("{\"metadata\":{\"name\":\"p\"},\"spec\":{\"nodeName\":\"n1\",\"tolerations\":"
        + tolerations + "}}");
    assertEquals(expected, TaintEviction.decide(BoundPod.of(pod), taints, NOW));
  }

  @org.junit.jupiter.api.Test
  void podAlreadyBeingDeletedIsLeftAlone() {
    var pod = Json.parseTrusted("{\"metadata\":{\"name\":\"p\",\"deletionTimestamp\":\"2026-12-07T05:00:00Z\"},"
        + "\"spec\":{\"nodeName\":\"n1\"}}");
    assertEquals(new TaintEviction.Keep(), TaintEviction.decide(BoundPod.of(pod), List.of(UNREACHABLE), NOW));
  }
}
