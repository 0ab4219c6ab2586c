package io.pekkube.actors.admission;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.pekkube.actors.api.Json;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class DefaultTolerationSecondsTest {
  private static final String NOT_READY_30 = "{\"key\":\"node.kubernetes.io/not-ready\",\"operator\":\"Exists\","
      + "\"effect\":\"NoExecute\",\"tolerationSeconds\":30}";
  private static final String UNREACHABLE_30 = "{\"key\":\"node.kubernetes.io/unreachable\",\"operator\":\"Exists\","
      + "\"effect\":\"NoExecute\",\"tolerationSeconds\":30}";

  static Stream<Arguments> table() {
    String ownUnreachable = "{\"key\":\"node.kubernetes.io/unreachable\",\"operator\":\"Exists\",\"effect\":\"NoExecute\"}";
    String ownNotReadyAnyEffect = "{\"key\":\"node.kubernetes.io/not-ready\",\"operator\":\"Exists\",\"tolerationSeconds\":5}";
    String ownNoSchedule = "{\"key\":\"node.kubernetes.io/unreachable\",\"operator\":\"Exists\",\"effect\":\"NoSchedule\"}";
    String everything = "{\"operator\":\"Exists\"}";
    return Stream.of(
        // the pod's tolerations, the tolerations after admission
        Arguments.of(null, "[" + NOT_READY_30 + "," + UNREACHABLE_30 + "]"),
        Arguments.of("[]", "[" + NOT_READY_30 + "," + UNREACHABLE_30 + "]"),
        Arguments.of("[" + ownUnreachable + "]", "[" + ownUnreachable + "," + NOT_READY_30 + "]"),
        Arguments.of("[" + ownNotReadyAnyEffect + "]", "[" + ownNotReadyAnyEffect + "," + UNREACHABLE_30 + "]"),
        Arguments.of("[" + ownNoSchedule + "]", "[" + ownNoSchedule + "," + NOT_READY_30 + "," + UNREACHABLE_30 + "]"),
        Arguments.of("[" + everything + "]", "[" + everything + "]"));
  }

  @ParameterizedTest
  @MethodSource("table")
  void podGetsTheTolerationsItLacks(String tolerations, String expected) {
    var pod = Json.parseTrusted("{\"metadata\":{\"name\":\"p\"},\"spec\":{"
        + (tolerations == null ? "" : "\"tolerations\":" + tolerations + ",") + "\"containers\":[]}}");
    new DefaultTolerationSeconds(30).admit(pod);
    assertEquals(Json.write(Json.parseTrusted("{\"t\":" + expected + "}").get("t")),
        Json.write(pod.path("spec").path("tolerations")));
  }
}
