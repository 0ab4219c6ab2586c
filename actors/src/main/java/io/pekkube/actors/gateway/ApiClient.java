package io.pekkube.actors.gateway;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.pekkube.actors.api.BuiltinTypes;
import io.pekkube.actors.api.Json;
import io.pekkube.actors.api.ObjectKey;
import io.pekkube.actors.api.ResourceType;
import io.pekkube.actors.resources.ObjectFilter;
import io.pekkube.actors.resources.ResourceEntity;
import io.pekkube.actors.resources.ResourceEntity.WriteResult;
import io.pekkube.actors.resources.ResourceHub;
import io.pekkube.actors.resources.WatchRelay;
import java.time.Duration;
import java.util.UUID;
import org.apache.pekko.actor.typed.Props;
import java.util.concurrent.CompletionStage;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.javadsl.AskPattern;
import org.apache.pekko.cluster.sharding.typed.javadsl.ClusterSharding;

/**
 * The typed client of the API inside the JVM: the HTTP routes, and later controllers, the scheduler
 * and kubelets, use it. Writes go through the {@link ApiGateway}; reads go to the object's entity
 * (GET, always the latest committed state) or to the type's hub (LIST and WATCH).
 */
public final class ApiClient {
  private final ActorSystem<?> system;
  private final ActorRef<ApiGateway.Command> gateway;
  private final ClusterSharding sharding;
  private final Duration timeout;
  /** The gateway bounds each step with {@code timeout}; a write's ask allows it to answer first. */
  private final Duration writeTimeout;
  private static final int READ_ATTEMPTS = 3;

  public ApiClient(ActorSystem<?> system, ActorRef<ApiGateway.Command> gateway, Duration timeout) {
    this.system = system;
    this.gateway = gateway;
    this.sharding = ClusterSharding.get(system);
    this.timeout = timeout;
    this.writeTimeout = timeout.multipliedBy(3);
  }

  public Duration timeout() {
    return timeout;
  }

  public CompletionStage<WriteResult> create(ResourceType type, String namespace, ObjectNode object,
      boolean dryRun, String user) {
    return create(type, namespace, object, dryRun, user, FieldManager.of(""));
  }

  /** A create whose managedFields name {@code manager}. */
  public CompletionStage<WriteResult> create(ResourceType type, String namespace, ObjectNode object,
      boolean dryRun, String user, FieldManager manager) {
    String name = Json.meta(object, "name");
    return submit(new ResourceEntity.CreateOp(type, Json.write(object), "", manager.name(),
        manager.managedFieldsGiven()), namespace, name, dryRun, user);
  }

  public CompletionStage<WriteResult> update(ResourceType type, String namespace, ObjectNode object,
      boolean statusOnly, boolean dryRun, String user) {
    return update(type, namespace, object, statusOnly, dryRun, user, FieldManager.of(""));
  }

  /** An update whose managedFields name {@code manager}. */
  public CompletionStage<WriteResult> update(ResourceType type, String namespace, ObjectNode object,
      boolean statusOnly, boolean dryRun, String user, FieldManager manager) {
    String name = Json.meta(object, "name");
    return submit(new ResourceEntity.UpdateOp(type, Json.write(object), statusOnly, manager.name(),
        manager.managedFieldsGiven()), namespace, name, dryRun, user);
  }

  /** {@code pods/binding}: binds the pod {@code name} as the Binding says, in one write of the pod. */
  public CompletionStage<WriteResult> bind(String namespace, String name, ObjectNode binding, boolean dryRun,
      String user) {
    return submit(new ResourceEntity.BindOp(BuiltinTypes.POD, name, Json.write(binding)), namespace, name, dryRun,
        user);
  }

  public CompletionStage<WriteResult> delete(ResourceType type, String namespace, String name,
      String preconditionUid, String preconditionResourceVersion, boolean dryRun, String user) {
    return delete(type, namespace, name, preconditionUid, preconditionResourceVersion, "", dryRun, user);
  }

  /** A DELETE with a propagation policy (Orphan, Foreground, Background; "" for the type's default). */
  public CompletionStage<WriteResult> delete(ResourceType type, String namespace, String name,
      String preconditionUid, String preconditionResourceVersion, String propagationPolicy, boolean dryRun,
      String user) {
    return delete(type, namespace, name, new Preconditions(preconditionUid, preconditionResourceVersion),
        propagationPolicy, null, dryRun, user);
  }

  /** The uid and resourceVersion a DELETE requires ("" for none). */
  public record Preconditions(String uid, String resourceVersion) {
    public static final Preconditions NONE = new Preconditions("", "");

    public static Preconditions uid(String uid) {
      return new Preconditions(uid, "");
    }
  }

  /**
   * A DELETE with a propagation policy and a grace period ({@code gracePeriodSeconds} null: the object's
   * default; 0 deletes a pod at once).
   */
  public CompletionStage<WriteResult> delete(ResourceType type, String namespace, String name,
      Preconditions preconditions, String propagationPolicy, Long gracePeriodSeconds, boolean dryRun, String user) {
    return submit(new ResourceEntity.DeleteOp(type, name, preconditions.uid(), preconditions.resourceVersion(),
        propagationPolicy, gracePeriodSeconds), namespace, name, dryRun, user);
  }

  private CompletionStage<WriteResult> submit(ResourceEntity.WriteOp op, String namespace, String name,
      boolean dryRun, String user) {
    return AskPattern.ask(gateway,
        reply -> new ApiGateway.Submit(op, namespace, name, dryRun, user, reply),
        writeTimeout, system.scheduler());
  }

  /**
   * The latest committed state of one object. Reads are idempotent, so an ask lost while its shard
   * moves (sharding delivers at most once) is asked again instead of failing the client.
   */
  public CompletionStage<ResourceEntity.GetResult> get(ResourceType type, String namespace, String name) {
    var entity = sharding.entityRefFor(ResourceEntity.ENTITY_KEY,
        new ObjectKey(type.resourceKey(), namespace, name).entityId());
    return ReadRetry.withAttempts(READ_ATTEMPTS, () -> entity.ask(ResourceEntity.Get::new, readAttemptTimeout()));
  }

  private Duration readAttemptTimeout() {
    return timeout.dividedBy(READ_ATTEMPTS);
  }

  /**
   * A LIST page as the client asked for it. The hub answers in messages of at most
   * {@link ResourceHub#MAX_PAGE_BYTES}; the pages are gathered here, all at the revision of the first.
   */
  public CompletionStage<ResourceHub.ListResult> list(ResourceType type, ObjectFilter filter,
      String resourceVersion, boolean exact, long limit, String continueToken) {
    return listPart(type, filter, resourceVersion, exact, limit, continueToken).thenCompose(result ->
        gather(type, filter, limit, new java.util.ArrayList<>(), result));
  }

  private CompletionStage<ResourceHub.ListResult> gather(ResourceType type, ObjectFilter filter, long limit,
      java.util.List<String> gathered, ResourceHub.ListResult result) {
    if (!(result instanceof ResourceHub.Listed page)) {
      return java.util.concurrent.CompletableFuture.completedFuture(result);
    }
    gathered.addAll(page.items());
    if (!page.sizeCapped()) {
      return java.util.concurrent.CompletableFuture.completedFuture(new ResourceHub.Listed(page.resourceVersion(),
          gathered, page.continueToken(), page.remainingItemCount(), false));
    }
    long rest = limit > 0 ? limit - gathered.size() : 0;
    return listPart(type, filter, "", false, rest, page.continueToken())
        .thenCompose(next -> gather(type, filter, limit, gathered, next));
  }

  private CompletionStage<ResourceHub.ListResult> listPart(ResourceType type, ObjectFilter filter,
      String resourceVersion, boolean exact, long limit, String continueToken) {
    var hub = sharding.entityRefFor(ResourceHub.ENTITY_KEY, type.resourceKey());
    return ReadRetry.withAttempts(READ_ATTEMPTS, () -> hub.ask(
        reply -> new ResourceHub.ListObjects(filter, resourceVersion, exact, limit, continueToken, reply),
        readAttemptTimeout()));
  }

  /**
   * Opens a watch whose events go to {@code sink} until the sink stops; it follows the type's hub
   * when the hub moves to another node (see {@link WatchRelay}).
   */
  public void watch(ResourceType type, ObjectFilter filter, String resourceVersion, boolean bookmarks,
      boolean sendInitialEvents, ActorRef<ResourceHub.WatchEvent> sink) {
    var hub = sharding.entityRefFor(ResourceHub.ENTITY_KEY, type.resourceKey());
    WatchRelay.HubLink link = new WatchRelay.HubLink() {
      @Override
      public void subscribe(ResourceHub.Subscribe subscribe) {
        hub.tell(subscribe);
      }

      @Override
      public void unsubscribe(ActorRef<ResourceHub.WatchEvent> relay) {
        hub.tell(new ResourceHub.Unsubscribe(relay));
      }
    };
    system.systemActorOf(WatchRelay.create(link, filter, resourceVersion, bookmarks, sendInitialEvents, sink),
        "watch-" + UUID.randomUUID(), Props.empty());
  }

  public CompletionStage<ResourceHub.HubStatus> hubStatus(ResourceType type) {
    return sharding.entityRefFor(ResourceHub.ENTITY_KEY, type.resourceKey())
        .ask(ResourceHub.GetStatus::new, timeout);
  }
}
