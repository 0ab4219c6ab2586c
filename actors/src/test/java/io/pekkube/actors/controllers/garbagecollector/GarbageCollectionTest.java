package io.pekkube.actors.controllers.garbagecollector;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.pekkube.actors.api.BuiltinTypes;
import io.pekkube.actors.api.Json;
import io.pekkube.actors.controllers.garbagecollector.GcAction.DeleteObject;
import io.pekkube.actors.controllers.garbagecollector.GcAction.RemoveFinalizer;
import io.pekkube.actors.controllers.garbagecollector.GcAction.RemoveOwnerReferences;
import io.pekkube.actors.controllers.runtime.ObjectRef;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Given an object, what the garbage collector saw of its owners and dependents: exactly these actions. */
class GarbageCollectionTest {
  static final ObjectRef POD = new ObjectRef(BuiltinTypes.POD, "ns", "web-1");
  static final ObjectRef RS = new ObjectRef(BuiltinTypes.REPLICA_SET, "ns", "web");
  static final ObjectRef OTHER_POD = new ObjectRef(BuiltinTypes.POD, "ns", "web-2");

  record Row(String name, ObjectRef ref, ObjectNode object, Map<String, OwnerState> owners,
      List<Dependent> dependents, List<GcAction> expected) {
    @Override
    public String toString() {
      return name;
    }
  }

  static ObjectNode object(String uid, String rv) {
    ObjectNode o = Json.object();
    o.putObject("metadata").put("name", "x").put("uid", uid).put("resourceVersion", rv);
    return o;
  }

  static ObjectNode owned(String uid, String... ownerUidsAndBlock) {
    ObjectNode o = object(uid, "7");
    ArrayNode refs = Json.metadata(o).putArray("ownerReferences");
    for (String owner : ownerUidsAndBlock) {
      boolean block = owner.endsWith("!");
      refs.addObject().put("apiVersion", "apps/v1").put("kind", "ReplicaSet").put("name", "web")
          .put("uid", owner.replace("!", "")).put("blockOwnerDeletion", block);
    }
    return o;
  }

  static ObjectNode deleting(ObjectNode o, String... finalizers) {
    Json.metadata(o).put("deletionTimestamp", "2024-01-01T00:00:00Z");
    ArrayNode f = Json.metadata(o).putArray("finalizers");
    for (String s : finalizers) {
      f.add(s);
    }
    return o;
  }

  static ObjectNode withFinalizer(ObjectNode o, String finalizer) {
    Json.metadata(o).putArray("finalizers").add(finalizer);
    return o;
  }

  static Stream<Arguments> rows() {
    return Stream.of(
        new Row("no owners: nothing", POD, object("p", "1"), Map.of(), List.of(), List.of()),
        new Row("owner present: kept", POD, owned("p", "rs"), Map.of("rs", OwnerState.PRESENT), List.of(), List.of()),
        new Row("owner absent: deleted in the background with both preconditions", POD, owned("p", "rs"),
            Map.of("rs", OwnerState.ABSENT), List.of(), List.of(new DeleteObject(POD, "p", "7", "Background"))),
        new Row("owner recreated with another uid (seen as absent): deleted", POD, owned("p", "old-rs"),
            Map.of("old-rs", OwnerState.ABSENT), List.of(), List.of(new DeleteObject(POD, "p", "7", "Background"))),
        new Row("one of two owners absent: only that reference goes", POD, owned("p", "a", "b"),
            Map.of("a", OwnerState.ABSENT, "b", OwnerState.PRESENT), List.of(),
            List.of(new RemoveOwnerReferences(POD, "p", Set.of("a")))),
        new Row("all owners absent: deleted", POD, owned("p", "a", "b"),
            Map.of("a", OwnerState.ABSENT, "b", OwnerState.ABSENT), List.of(),
            List.of(new DeleteObject(POD, "p", "7", "Background"))),
        new Row("unresolvable owner holds the dependent", POD, owned("p", "a", "b"),
            Map.of("a", OwnerState.ABSENT, "b", OwnerState.UNRESOLVABLE), List.of(),
            List.of(new RemoveOwnerReferences(POD, "p", Set.of("a")))),
        new Row("owner deleting in the foreground: dependent deleted", POD, owned("p", "rs!"),
            Map.of("rs", OwnerState.DELETING_DEPENDENTS), List.of(),
            List.of(new DeleteObject(POD, "p", "7", "Background"))),
        new Row("owner waits and the dependent has dependents: deleted in the foreground", RS, owned("r", "d!"),
            Map.of("d", OwnerState.DELETING_DEPENDENTS), List.of(new Dependent(POD, "p", true)),
            List.of(new DeleteObject(RS, "r", "7", "Foreground"))),
        new Row("owner waits but another owner stays: the waiting reference goes", POD, owned("p", "a!", "b"),
            Map.of("a", OwnerState.DELETING_DEPENDENTS, "b", OwnerState.PRESENT), List.of(),
            List.of(new RemoveOwnerReferences(POD, "p", Set.of("a")))),
        new Row("dependent with its own orphan finalizer keeps that policy", POD,
            withFinalizer(owned("p", "rs"), "orphan"), Map.of("rs", OwnerState.ABSENT), List.of(),
            List.of(new DeleteObject(POD, "p", "7", "Orphan"))),
        new Row("being deleted without a collector finalizer: nothing", POD,
            deleting(owned("p", "rs"), "example.com/hold"), Map.of(), List.of(), List.of()),
        new Row("foreground owner with a blocking dependent: waits", RS, deleting(object("r", "3"), "foregroundDeletion"),
            Map.of(), List.of(new Dependent(POD, "p", true), new Dependent(OTHER_POD, "q", false)), List.of()),
        new Row("foreground owner with only non-blocking dependents: finalizer goes", RS,
            deleting(object("r", "3"), "foregroundDeletion"), Map.of(), List.of(new Dependent(OTHER_POD, "q", false)),
            List.of(new RemoveFinalizer(RS, "r", "foregroundDeletion"))),
        new Row("foreground owner without dependents: finalizer goes", RS,
            deleting(object("r", "3"), "foregroundDeletion", "example.com/hold"), Map.of(), List.of(),
            List.of(new RemoveFinalizer(RS, "r", "foregroundDeletion"))),
        new Row("orphaning owner: references dropped from every dependent, then the finalizer", RS,
            deleting(object("r", "3"), "orphan"), Map.of(),
            List.of(new Dependent(POD, "p", true), new Dependent(OTHER_POD, "q", false)),
            List.of(new RemoveOwnerReferences(POD, "p", Set.of("r")), new RemoveOwnerReferences(OTHER_POD, "q", Set.of("r")),
                new RemoveFinalizer(RS, "r", "orphan"))),
        new Row("orphaning owner without dependents: finalizer goes", RS, deleting(object("r", "3"), "orphan"),
            Map.of(), List.of(), List.of(new RemoveFinalizer(RS, "r", "orphan"))))
        .map(Arguments::of);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("rows")
  void decidesExactlyTheseActions(Row row) {
    assertEquals(row.expected(), GarbageCollection.decide(row.ref(), row.object(), row.owners(), row.dependents()));
  }
}
