package io.pekkube.actors.admission;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.pekkube.actors.api.BuiltinTypes;
import io.pekkube.actors.api.Json;
import io.pekkube.actors.api.ResourceType;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class StorageObjectInUseProtectionTest {
  private static final StorageObjectInUseProtection BOTH = new StorageObjectInUseProtection(true, true);
  private static final StorageObjectInUseProtection NEITHER = new StorageObjectInUseProtection(false, false);

  static Stream<Arguments> table() {
    String pvc = "kubernetes.io/pvc-protection";
    String pv = "kubernetes.io/pv-protection";
    return Stream.of(
        // the plugin, the type, the object's finalizers (null: none), its finalizers after admission
        Arguments.of(BOTH, BuiltinTypes.PERSISTENT_VOLUME_CLAIM, null, "[\"" + pvc + "\"]"),
        Arguments.of(BOTH, BuiltinTypes.PERSISTENT_VOLUME_CLAIM, "[\"example.com/a\"]",
            "[\"example.com/a\",\"" + pvc + "\"]"),
        Arguments.of(BOTH, BuiltinTypes.PERSISTENT_VOLUME_CLAIM, "[\"" + pvc + "\"]", "[\"" + pvc + "\"]"),
        Arguments.of(BOTH, BuiltinTypes.PERSISTENT_VOLUME, null, "[\"" + pv + "\"]"),
        Arguments.of(BOTH, BuiltinTypes.PERSISTENT_VOLUME, "[\"" + pv + "\"]", "[\"" + pv + "\"]"),
        Arguments.of(BOTH, BuiltinTypes.POD, null, null),
        Arguments.of(BOTH, BuiltinTypes.STORAGE_CLASS, null, null),
        // without the controller that removes it, nothing would ever let the object go
        Arguments.of(NEITHER, BuiltinTypes.PERSISTENT_VOLUME_CLAIM, null, null),
        Arguments.of(new StorageObjectInUseProtection(true, false), BuiltinTypes.PERSISTENT_VOLUME, null, null),
        Arguments.of(new StorageObjectInUseProtection(false, true), BuiltinTypes.PERSISTENT_VOLUME, null,
            "[\"" + pv + "\"]"));
  }

  @ParameterizedTest
  @MethodSource("table")
  void aNewObjectGetsItsTypesProtectionFinalizer(StorageObjectInUseProtection plugin, ResourceType type,
      String finalizers, String expected) {
    ObjectNode object = Json.parseTrusted("{\"kind\":\"" + type.kind() + "\",\"metadata\":{\"name\":\"x\""
        + (finalizers == null ? "" : ",\"finalizers\":" + finalizers) + "}}");
    plugin.admit(type, object);
    assertEquals(expected == null ? "" : expected, object.path("metadata").has("finalizers")
        ? Json.write(object.path("metadata").path("finalizers")) : "");
  }
}
