package io.pekkube.actors.controllers.pvprotection;

import static io.pekkube.actors.scheduler.Fixtures.volume;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.pekkube.actors.api.Json;
import io.pekkube.actors.scheduler.Fixtures.VolumeBuilder;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Given a volume, one sync writes its finalizers as these, or nothing. */
class VolumeProtectionTest {
  private static final String PROTECTION = "kubernetes.io/pv-protection";

  private static VolumeBuilder protectedVolume(String phase) {
    VolumeBuilder pv = volume("pv1").phase(phase);
    ((ObjectNode) pv.json().path("metadata")).putArray("finalizers").add("example.com/keep").add(PROTECTION);
    return pv;
  }

  static Stream<Arguments> table() {
    String other = "[\"example.com/keep\"]";
    return Stream.of(
        // the volume, its finalizers after the sync (null: no write)
        Arguments.of("a new volume without protection", volume("pv1").json(), "[\"" + PROTECTION + "\"]"),
        Arguments.of("a protected volume", protectedVolume("Bound").json(), null),
        Arguments.of("a deleted Bound volume", protectedVolume("Bound").deleting().json(), null),
        Arguments.of("a deleted Released volume", protectedVolume("Released").deleting().json(), other),
        Arguments.of("a deleted Available volume", protectedVolume("Available").deleting().json(), other),
        Arguments.of("a deleted Failed volume", protectedVolume("Failed").deleting().json(), other),
        Arguments.of("a deleted volume without protection", volume("pv1").phase("Released").deleting().json(), null),
        Arguments.of("a deleted Pending volume (not bound yet)", protectedVolume("Pending").deleting().json(), other),
        Arguments.of("a protected Released volume", protectedVolume("Released").json(), null));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("table")
  void oneSyncOfAVolume(String what, ObjectNode volume, String finalizersAfter) {
    Optional<ObjectNode> next = VolumeProtection.decide(volume);
    assertEquals(Optional.ofNullable(finalizersAfter),
        next.map(v -> Json.write(v.path("metadata").path("finalizers"))));
  }
}
