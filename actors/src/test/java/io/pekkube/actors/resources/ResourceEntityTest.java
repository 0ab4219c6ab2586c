package io.pekkube.actors.resources;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.typesafe.config.ConfigFactory;
import io.pekkube.actors.api.BuiltinTypes;
import io.pekkube.actors.api.Json;
import io.pekkube.actors.api.ObjectKey;
import io.pekkube.actors.resources.ResourceEntity.Command;
import io.pekkube.actors.resources.ResourceEntity.Event;
import io.pekkube.actors.resources.ResourceEntity.State;
import io.pekkube.actors.resources.ResourceEntity.WriteResult;
import java.time.Duration;
import java.util.Optional;
import org.apache.pekko.actor.testkit.typed.javadsl.TestKitJunitResource;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.apache.pekko.cluster.sharding.typed.javadsl.ClusterSharding;
import org.apache.pekko.persistence.testkit.javadsl.EventSourcedBehaviorTestKit;
import org.apache.pekko.persistence.testkit.javadsl.EventSourcedBehaviorTestKit.CommandResultWithReply;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The entity's write semantics, with every event and command round-tripped through Kryo. */
class ResourceEntityTest {
  private static final org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit KIT =
      org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit.create(
          EventSourcedBehaviorTestKit.config().withFallback(ConfigFactory.load()));
  private static final ObjectKey KEY = new ObjectKey("configmaps", "default", "cm");

  private TestProbe<ResourceHub.Command> hub;
  private EventSourcedBehaviorTestKit<Command, Event, State> entity;

  @AfterAll
  static void shutdown() {
    KIT.shutdownTestKit();
  }

  @BeforeEach
  void setUp() {
    hub = KIT.createTestProbe();
    entity = EventSourcedBehaviorTestKit.create(KIT.system(),
        ResourceEntity.create(KEY.entityId(), (resource, msg) -> hub.ref().tell(msg)));
    entity.clear();
  }

  private static String configMap(String data, String rv) {
    return "{\"apiVersion\":\"v1\",\"kind\":\"ConfigMap\",\"metadata\":{\"name\":\"cm\",\"namespace\":\"default\""
        + (rv == null ? "" : ",\"resourceVersion\":\"" + rv + "\"") + "},\"data\":{\"k\":\"" + data + "\"}}";
  }

  private CommandResultWithReply<Command, Event, State, WriteResult> create(long rev) {
    return entity.<WriteResult>runCommand(reply -> new ResourceEntity.Write(
        new ResourceEntity.CreateOp(BuiltinTypes.CONFIG_MAP, configMap("v", null), "uid-1"), rev, "alice", reply));
  }

  private CommandResultWithReply<Command, Event, State, WriteResult> update(String data, String rv, long rev) {
    return entity.<WriteResult>runCommand(reply -> new ResourceEntity.Write(
        new ResourceEntity.UpdateOp(BuiltinTypes.CONFIG_MAP, configMap(data, rv), false), rev, "bob", reply));
  }

  @Test
  void createPersistsTheObjectWithItsRevisionAndReportsTheCommitToTheHub() {
    var result = create(7);
    ResourceEntity.ObjectCreated created = (ResourceEntity.ObjectCreated) result.event();
    assertEquals(7, created.revision());
    assertEquals("alice", created.by());
    JsonNode obj = Json.parseTrusted(((ResourceEntity.Written) result.reply()).object());
    assertEquals("7", obj.path("metadata").path("resourceVersion").asText());
    assertEquals("uid-1", obj.path("metadata").path("uid").asText());
    ResourceHub.Committed committed = (ResourceHub.Committed) hub.receiveMessage();
    assertEquals(7, committed.revision());
    assertEquals(KEY, committed.key());
  }

  @Test
  void recoveryRestoresTheSameState() {
    create(3);
    update("w", "3", 5);
    State before = entity.getState();
    entity.restart();
    assertEquals(before, entity.getState());
    assertEquals(5, entity.getState().revision());
  }

  @Test
  void aSecondCreateIsAlreadyExistsAndAbortsItsRevision() {
    create(3);
    hub.receiveMessage();
    var again = create(4);
    assertTrue(again.hasNoEvents());
    assertEquals("AlreadyExists", ((ResourceEntity.Rejected) again.reply()).error().reason());
    assertEquals(new ResourceHub.Aborted(4), hub.receiveMessage());
  }

  @Test
  void aRevisionNotAboveTheLastOneIsRefusedForRetry() {
    create(10);
    var stale = update("x", null, 9);
    assertTrue(stale.hasNoEvents());
    assertInstanceOf(ResourceEntity.RetryWithNewRevision.class, stale.reply());
  }

  @Test
  void aStaleResourceVersionIsAConflict() {
    create(10);
    update("x", "10", 11);
    var stale = update("y", "10", 12);
    assertTrue(stale.hasNoEvents());
    assertEquals(409, ((ResourceEntity.Rejected) stale.reply()).error().code());
  }

  @Test
  void anIdenticalUpdateWritesNothing() {
    create(10);
    var same = update("v", "10", 11);
    assertTrue(same.hasNoEvents());
    assertInstanceOf(ResourceEntity.NotChanged.class, same.reply());
  }

  @Test
  void dryRunPersistsNothing() {
    var dry = entity.<WriteResult>runCommand(reply -> new ResourceEntity.Write(
        new ResourceEntity.CreateOp(BuiltinTypes.CONFIG_MAP, configMap("v", null), "uid-1"), 0, "alice", reply));
    assertTrue(dry.hasNoEvents());
    assertInstanceOf(ResourceEntity.Written.class, dry.reply());
    assertNull(entity.getState().object());
  }

  @Test
  void resolvingAnUnusedRevisionFencesItSoALateWriteWithItIsRefused() {
    create(10);
    hub.receiveMessage();
    TestProbe<ResourceHub.Command> resolver = KIT.createTestProbe();
    var fenced = entity.runCommand(new ResourceEntity.ResolveRevision(12, resolver.ref()));
    assertEquals(new ResourceEntity.RevisionFenced(12), fenced.event());
    assertEquals(new ResourceHub.Aborted(12), resolver.receiveMessage());
    var late = update("late", null, 12);
    assertInstanceOf(ResourceEntity.RetryWithNewRevision.class, late.reply());
    entity.runCommand(new ResourceEntity.ResolveRevision(10, resolver.ref()));
    ResourceHub.Committed current = (ResourceHub.Committed) resolver.receiveMessage();
    assertEquals(10, current.revision());
  }

  @Test
  void deleteWithFinalizersMarksAndRemovingThemDeletes() {
    entity.<WriteResult>runCommand(reply -> new ResourceEntity.Write(new ResourceEntity.CreateOp(BuiltinTypes.CONFIG_MAP,
        "{\"metadata\":{\"name\":\"cm\",\"namespace\":\"default\",\"finalizers\":[\"x/y\"]}}", "u"), 1, "a", reply));
    var marked = entity.<WriteResult>runCommand(reply -> new ResourceEntity.Write(
        new ResourceEntity.DeleteOp(BuiltinTypes.CONFIG_MAP, "cm", "", ""), 2, "a", reply));
    assertInstanceOf(ResourceEntity.DeletionMarked.class, marked.event());
    String obj = entity.getState().object();
    String released = obj.replace("\"finalizers\":[\"x/y\"]", "\"finalizers\":[]");
    var deleted = entity.<WriteResult>runCommand(reply -> new ResourceEntity.Write(
        new ResourceEntity.UpdateOp(BuiltinTypes.CONFIG_MAP, released, false), 3, "a", reply));
    assertInstanceOf(ResourceEntity.ObjectDeleted.class, deleted.event());
    assertNull(entity.getState().object());
  }

  @Test
  void anEntityUnderQuickPassivationAsksItsShardToPassivateItOnceIdle() {
    TestProbe<ClusterSharding.ShardCommand> shard = KIT.createTestProbe();
    var event = KIT.spawn(ResourceEntity.create(new ObjectKey("events", "default", "e1").entityId(),
        (resource, msg) -> hub.ref().tell(msg), Optional.of(Duration.ofMillis(300)), shard.ref()));
    TestProbe<ResourceEntity.GetResult> reader = KIT.createTestProbe();
    event.tell(new ResourceEntity.Get(reader.ref()));
    reader.receiveMessage();
    var passivate = shard.expectMessageClass(ClusterSharding.Passivate.class, Duration.ofSeconds(3));
    assertEquals(event, passivate.entity());
  }

  @Test
  void eventsPassivateQuicklyAndOtherKindsAtShardingsIdleTimeout() {
    EntitySettings settings = EntitySettings.from(ConfigFactory.load());
    assertEquals(Optional.of(Duration.ofSeconds(5)), settings.idleTimeout("events"));
    assertEquals(Optional.of(Duration.ofSeconds(5)), settings.idleTimeout("events.events.k8s.io"));
    assertEquals(Optional.empty(), settings.idleTimeout("pods"));
  }
}
