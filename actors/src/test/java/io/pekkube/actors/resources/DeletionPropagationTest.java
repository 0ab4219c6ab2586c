package io.pekkube.actors.resources;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.pekkube.actors.api.BuiltinTypes;
import io.pekkube.actors.api.Json;
import io.pekkube.actors.api.ResourceType;
import io.pekkube.actors.resources.ObjectWrites.ChangeKind;
import io.pekkube.actors.resources.ObjectWrites.Persist;
import io.pekkube.actors.resources.ObjectWrites.Unchanged;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** DELETE's propagation policy becomes garbage-collection finalizers, as the Kubernetes registry sets them. */
class DeletionPropagationTest {
  static final Instant NOW = Instant.parse("2024-05-01T10:00:00Z");

  static ObjectNode stored(ResourceType type, String... finalizers) {
    ObjectNode o = Json.object();
    o.put("apiVersion", type.apiVersion()).put("kind", type.kind());
    o.putObject("metadata").put("name", "x").put("namespace", "ns").put("uid", "u1").put("resourceVersion", "5");
    if (finalizers.length > 0) {
      var list = Json.metadata(o).putArray("finalizers");
      for (String f : finalizers) {
        list.add(f);
      }
    }
    return o;
  }

  static Persist delete(ResourceType type, ObjectNode current, String policy) {
    return assertInstanceOf(Persist.class, ObjectWrites.delete(type, current, "x", "", "", policy, null, NOW, 9));
  }

  @Test
  void foregroundMarksTheObjectAndAddsItsFinalizer() {
    Persist p = delete(BuiltinTypes.DEPLOYMENT, stored(BuiltinTypes.DEPLOYMENT), "Foreground");
    assertEquals(ChangeKind.MODIFIED, p.kind());
    assertEquals(List.of("foregroundDeletion"), DeletionFinalizers.finalizers(p.object()));
    assertEquals("2024-05-01T10:00:00Z", Json.meta(p.object(), "deletionTimestamp"));
  }

  @Test
  void orphanMarksTheObjectAndAddsItsFinalizerNextToOthers() {
    Persist p = delete(BuiltinTypes.CONFIG_MAP, stored(BuiltinTypes.CONFIG_MAP, "example.com/hold"), "Orphan");
    assertEquals(ChangeKind.MODIFIED, p.kind());
    assertEquals(List.of("example.com/hold", "orphan"), DeletionFinalizers.finalizers(p.object()));
  }

  @Test
  void backgroundAndTheUsualDefaultDeleteAtOnce() {
    assertEquals(ChangeKind.DELETED, delete(BuiltinTypes.DEPLOYMENT, stored(BuiltinTypes.DEPLOYMENT), "Background").kind());
    assertEquals(ChangeKind.DELETED, delete(BuiltinTypes.DEPLOYMENT, stored(BuiltinTypes.DEPLOYMENT), "").kind());
  }

  @Test
  void legacyKindsOrphanByDefault() {
    assertEquals("Orphan", DeletionFinalizers.defaultPolicy(BuiltinTypes.JOB));
    assertEquals("Orphan", DeletionFinalizers.defaultPolicy(BuiltinTypes.REPLICATION_CONTROLLER));
    assertEquals("Background", DeletionFinalizers.defaultPolicy(BuiltinTypes.CRON_JOB));
    Persist p = delete(BuiltinTypes.JOB, stored(BuiltinTypes.JOB), "");
    assertEquals(List.of("orphan"), DeletionFinalizers.finalizers(p.object()));
    assertEquals(ChangeKind.DELETED, delete(BuiltinTypes.JOB, stored(BuiltinTypes.JOB), "Background").kind());
  }

  @Test
  void aFinalizerAlreadySetIsThePolicyWhenNoneIsGiven() {
    Persist p = delete(BuiltinTypes.DEPLOYMENT, stored(BuiltinTypes.DEPLOYMENT, "foregroundDeletion"), "");
    assertEquals(List.of("foregroundDeletion"), DeletionFinalizers.finalizers(p.object()));
    assertTrue(p.object().path("metadata").hasNonNull("deletionTimestamp"));
  }

  @Test
  void aPendingDeletionChangesOnlyWhenThePolicyChangesItsFinalizers() {
    ObjectNode pending = delete(BuiltinTypes.DEPLOYMENT, stored(BuiltinTypes.DEPLOYMENT), "Foreground").object();
    assertInstanceOf(Unchanged.class, ObjectWrites.delete(BuiltinTypes.DEPLOYMENT, pending, "x", "", "", "Foreground", null, NOW, 10));
    Persist switched = delete(BuiltinTypes.DEPLOYMENT, pending, "Orphan");
    assertEquals(ChangeKind.MODIFIED, switched.kind());
    assertEquals(List.of("orphan"), DeletionFinalizers.finalizers(switched.object()));
    assertEquals(ChangeKind.DELETED, delete(BuiltinTypes.DEPLOYMENT, pending, "Background").kind());
  }
}
