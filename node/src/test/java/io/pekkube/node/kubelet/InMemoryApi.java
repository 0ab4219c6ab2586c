package io.pekkube.node.kubelet;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.typesafe.config.ConfigFactory;
import io.pekkube.actors.api.ApiError;
import io.pekkube.actors.api.Json;
import io.pekkube.actors.api.ObjectKey;
import io.pekkube.actors.api.ResourceType;
import io.pekkube.actors.gateway.ApiClient;
import io.pekkube.actors.gateway.ApiGateway;
import io.pekkube.actors.resources.ObjectWrites;
import io.pekkube.actors.resources.ResourceEntity;
import io.pekkube.actors.resources.ResourceHub;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.cluster.typed.Cluster;
import org.apache.pekko.cluster.typed.Join;
import org.apache.pekko.cluster.sharding.typed.javadsl.ClusterSharding;
import org.apache.pekko.cluster.sharding.typed.javadsl.Entity;
import org.awaitility.Awaitility;

/**
 * A one-member actor system whose API is a map in memory, for testing kubelet actors without a
 * control plane: writes through the gateway land in the map (status updates replace the status),
 * GETs go through sharding to entities that read the map. Nothing is validated, and nothing is watched:
 * every type's hub lists nothing and reports no change of its own, so an actor sees an object only by
 * reading it or when the test {@link #announce announces} a change to the open watches.
 */
final class InMemoryApi implements AutoCloseable {
  private final ActorTestKit testKit;
  private final Map<String, ObjectNode> objects = new ConcurrentHashMap<>();
  private final ApiClient client;
  private volatile CompletableFuture<Void> listsReleased = CompletableFuture.completedFuture(null);
  private volatile CompletableFuture<Void> getsReleased = CompletableFuture.completedFuture(null);
  private final Map<String, Integer> reads = new ConcurrentHashMap<>();
  private final Map<String, Integer> writes = new ConcurrentHashMap<>();
  private final List<ActorRef<ResourceHub.WatchEvent>> watches = new java.util.concurrent.CopyOnWriteArrayList<>();

  InMemoryApi() {
    testKit = ActorTestKit.create("in-memory-api", ConfigFactory.parseString("""
        pekko.actor.provider = cluster
        pekko.remote.artery.canonical.hostname = 127.0.0.1
        pekko.remote.artery.canonical.port = 0
        pekko.cluster.jmx.multi-mbeans-in-same-jvm = on
        pekko.cluster.sharding.passivation.strategy = none
        # Leaving the one-member cluster can take more than the default 10 s on a loaded machine.
        pekko.actor.testkit.typed.system-shutdown-default = 30s
        """).withFallback(ConfigFactory.load()));
    Cluster cluster = Cluster.get(testKit.system());
    cluster.manager().tell(Join.create(cluster.selfMember().address()));
    Awaitility.await().atMost(20, TimeUnit.SECONDS).until(() -> cluster.selfMember().status()
        == org.apache.pekko.cluster.MemberStatus.up());
    ClusterSharding.get(testKit.system()).init(Entity.of(ResourceEntity.ENTITY_KEY, ctx -> entity(ctx.getEntityId())));
    ClusterSharding.get(testKit.system()).init(Entity.of(ResourceHub.ENTITY_KEY, ctx -> silentHub()));
    ActorRef<ApiGateway.Command> gateway = testKit.spawn(gateway(), "gateway");
    client = new ApiClient(testKit.system(), gateway, Duration.ofSeconds(5));
  }

  ApiClient client() {
    return client;
  }

  ActorTestKit testKit() {
    return testKit;
  }

  void put(ResourceType type, String namespace, ObjectNode object) {
    objects.put(key(type, namespace, Json.meta(object, "name")), object);
  }

  JsonNode get(ResourceType type, String namespace, String name) {
    return objects.get(key(type, namespace, name));
  }

  void remove(ResourceType type, String namespace, String name) {
    objects.remove(key(type, namespace, name));
  }

  /** The stored objects of a kind, in no particular order. */
  List<JsonNode> ofKind(String kind) {
    List<JsonNode> found = new ArrayList<>();
    objects.values().forEach(o -> {
      if (kind.equals(o.path("kind").asText())) {
        found.add(o);
      }
    });
    return found;
  }

  private static String key(ResourceType type, String namespace, String name) {
    return new ObjectKey(type.resourceKey(), namespace, name).entityId();
  }

  private Behavior<ResourceEntity.Command> entity(String entityId) {
    return Behaviors.receive(ResourceEntity.Command.class)
        .onMessage(ResourceEntity.Get.class, get -> {
          ObjectNode object = objects.get(entityId); // read now, answered when the test lets it
          reads.merge(entityId, 1, Integer::sum);
          getsReleased.thenRun(() ->
              get.replyTo().tell(new ResourceEntity.GetResult(object == null ? null : Json.write(object), 1)));
          return Behaviors.same();
        })
        .build();
  }

  /**
   * LISTs are answered only once {@link #releaseLists()} is called: a kubelet's list then arrives
   * after what it read meanwhile, as a slow list does on a loaded control plane.
   */
  void holdLists() {
    listsReleased = new CompletableFuture<>();
  }

  void releaseLists() {
    listsReleased.complete(null);
  }

  /** GETs read the map when they arrive but are answered only once {@link #releaseGets()} is called. */
  void holdGets() {
    getsReleased = new CompletableFuture<>();
  }

  void releaseGets() {
    getsReleased.complete(null);
  }

  /** How many writes of the object (of any kind, whether it exists or not) the gateway has had. */
  int writesOf(ResourceType type, String namespace, String name) {
    return writes.getOrDefault(key(type, namespace, name), 0);
  }

  /** How many GETs of the object have been read so far (answered or held). */
  int readsOf(ResourceType type, String namespace, String name) {
    return reads.getOrDefault(key(type, namespace, name), 0);
  }

  /** Sends a change ("ADDED", "MODIFIED", "DELETED") to every open watch, of whatever type. */
  void announce(String change, ObjectNode object, long revision) {
    watches.forEach(w -> w.tell(new ResourceHub.Change(change, Json.write(object), revision)));
  }

  /** The number of watches opened so far. */
  int watchCount() {
    return watches.size();
  }

  /** A hub whose LIST is empty (as of revision 1) and whose watches get only what the test announces. */
  private Behavior<ResourceHub.Command> silentHub() {
    return Behaviors.setup(ctx -> Behaviors.receive(ResourceHub.Command.class)
        .onMessage(ResourceHub.ListObjects.class, list -> {
          listsReleased.thenRun(() -> list.replyTo().tell(new ResourceHub.Listed(1, List.of(), "", null, false)));
          return Behaviors.same();
        })
        .onMessage(ResourceHub.Subscribe.class, subscribe -> {
          subscribe.sink().tell(new ResourceHub.Subscribed(ctx.getSelf(), 1));
          watches.add(subscribe.sink());
          return Behaviors.same();
        })
        .onAnyMessage(other -> Behaviors.same())
        .build());
  }

  private Behavior<ApiGateway.Command> gateway() {
    return Behaviors.receive(ApiGateway.Command.class)
        .onMessage(ApiGateway.Submit.class, submit -> {
          writes.merge(key(submit.op().type(), submit.namespace(), submit.name()), 1, Integer::sum);
          submit.replyTo().tell(write(submit));
          return Behaviors.same();
        })
        .build();
  }

  private ResourceEntity.WriteResult write(ApiGateway.Submit submit) {
    if (submit.op() instanceof ResourceEntity.CreateOp create) {
      ObjectNode object = Json.parseTrusted(create.object());
      objects.put(key(create.type(), submit.namespace(), submit.name()), object);
      return new ResourceEntity.Written(ObjectWrites.ChangeKind.ADDED, Json.write(object));
    }
    if (submit.op() instanceof ResourceEntity.UpdateOp update) {
      ObjectNode object = Json.parseTrusted(update.object());
      String key = key(update.type(), submit.namespace(), submit.name());
      ObjectNode current = objects.get(key);
      if (current == null) {
        return new ResourceEntity.Rejected(ApiError.of(404, "NotFound", "not found"));
      }
      ObjectNode next = update.statusOnly() ? current.deepCopy() : object;
      if (update.statusOnly()) {
        next.set("status", object.path("status"));
      }
      objects.put(key, next);
      return new ResourceEntity.Written(ObjectWrites.ChangeKind.MODIFIED, Json.write(next));
    }
    ResourceEntity.DeleteOp delete = (ResourceEntity.DeleteOp) submit.op();
    ObjectNode gone = objects.remove(key(delete.type(), submit.namespace(), submit.name()));
    return gone == null ? new ResourceEntity.Rejected(ApiError.of(404, "NotFound", "not found"))
        : new ResourceEntity.Written(ObjectWrites.ChangeKind.DELETED, Json.write(gone));
  }

  @Override
  public void close() {
    testKit.shutdownTestKit();
  }
}
