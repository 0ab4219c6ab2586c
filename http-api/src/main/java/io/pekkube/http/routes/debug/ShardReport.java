package io.pekkube.http.routes.debug;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.pekkube.actors.api.Json;
import io.pekkube.actors.resources.ResourceEntity;
import io.pekkube.actors.resources.ResourceHub;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.javadsl.AskPattern;
import org.apache.pekko.cluster.sharding.ShardRegion;
import org.apache.pekko.cluster.sharding.typed.ClusterShardingQuery;
import org.apache.pekko.cluster.sharding.typed.GetShardRegionState;
import org.apache.pekko.cluster.sharding.typed.javadsl.ClusterSharding;
import org.apache.pekko.cluster.sharding.typed.javadsl.EntityTypeKey;

/**
 * {@code /debug/shards}: how many shards and entities of the object store this JVM hosts. Operators
 * (and the failover scenario) use it to find the node whose loss moves the most state.
 */
public final class ShardReport {
  private static final Duration TIMEOUT = Duration.ofSeconds(3);
  private final ActorSystem<?> system;

  public ShardReport(ActorSystem<?> system) {
    this.system = system;
  }

  /** {@code {"obj":{"shards":n,"entities":m},"hub":{...}}}; a region this JVM does not host reports zeros. */
  public CompletionStage<ObjectNode> report() {
    CompletableFuture<ShardRegion.CurrentShardRegionState> objects = state(ResourceEntity.ENTITY_KEY);
    CompletableFuture<ShardRegion.CurrentShardRegionState> hubs = state(ResourceHub.ENTITY_KEY);
    return objects.thenCombine(hubs, (o, h) -> {
      ObjectNode body = Json.object();
      body.set(ResourceEntity.ENTITY_KEY.name(), counts(o));
      body.set(ResourceHub.ENTITY_KEY.name(), counts(h));
      return body;
    });
  }

  private CompletableFuture<ShardRegion.CurrentShardRegionState> state(EntityTypeKey<?> key) {
    return AskPattern.<ClusterShardingQuery, ShardRegion.CurrentShardRegionState>ask(
            ClusterSharding.get(system).shardState(), reply -> new GetShardRegionState(key, reply), TIMEOUT,
            system.scheduler())
        .toCompletableFuture()
        .exceptionally(e -> new ShardRegion.CurrentShardRegionState(scala.collection.immutable.Set$.MODULE$.empty()));
  }

  private static ObjectNode counts(ShardRegion.CurrentShardRegionState state) {
    ObjectNode n = Json.object();
    int entities = 0;
    for (ShardRegion.ShardState shard : state.getShards()) {
      entities += shard.getEntityIds().size();
    }
    n.put("shards", state.getShards().size());
    n.put("entities", entities);
    return n;
  }
}
