package io.pekkube.actors.resources;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.pekkube.actors.api.ApiError;
import io.pekkube.actors.api.Json;
import io.pekkube.actors.api.ObjectKey;
import io.pekkube.actors.api.ResourceType;
import io.pekkube.actors.pods.PodBinding;
import io.pekkube.actors.resources.ObjectWrites.ChangeKind;
import io.pekkube.actors.resources.ObjectWrites.Decision;
import io.pekkube.actors.resources.ObjectWrites.Fail;
import io.pekkube.actors.resources.ObjectWrites.Persist;
import io.pekkube.actors.resources.ObjectWrites.Unchanged;
import io.pekkube.persistence.serialization.ClusterMessage;
import io.pekkube.persistence.serialization.JournalEvent;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import org.apache.pekko.actor.NoSerializationVerificationNeeded;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.SupervisorStrategy;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.cluster.sharding.typed.javadsl.ClusterSharding;
import org.apache.pekko.cluster.sharding.typed.javadsl.Entity;
import org.apache.pekko.cluster.sharding.typed.javadsl.EntityTypeKey;
import org.apache.pekko.persistence.typed.PersistenceId;
import org.apache.pekko.persistence.typed.javadsl.CommandHandlerWithReply;
import org.apache.pekko.persistence.typed.javadsl.EventHandler;
import org.apache.pekko.persistence.typed.javadsl.EventSourcedBehaviorWithEnforcedReplies;
import org.apache.pekko.persistence.typed.javadsl.ReplyEffect;
import org.apache.pekko.persistence.typed.javadsl.RetentionCriteria;

/**
 * Owns one API object: checks a write against the current state, persists it as one event that
 * carries the revision the type's {@link ResourceHub} allocated, tells the hub the outcome and
 * answers. A revision at or below one this entity already used (or fenced) is refused with
 * {@link RetryWithNewRevision}, so an object's revisions only grow.
 */
public final class ResourceEntity
    extends EventSourcedBehaviorWithEnforcedReplies<ResourceEntity.Command, ResourceEntity.Event, ResourceEntity.State> {

  /**
   * The object (JSON, null when absent), the last revision written, what that write was, and the
   * highest fenced revision.
   */
  public record State(String object, long revision, ChangeKind lastChange, long fence) implements JournalEvent {
    static final State EMPTY = new State(null, 0, null, 0);

    ObjectNode current() {
      return object == null ? null : Json.parseTrusted(object);
    }

    long highestUsed() {
      return Math.max(revision, fence);
    }
  }

  public sealed interface Command extends ClusterMessage permits Write, Get, ResolveRevision, Idle {}

  /**
   * A write with the revision to use; revision 0 means dry run (validate and answer, persist nothing).
   */
  public record Write(WriteOp op, long revision, String user, ActorRef<WriteResult> replyTo)
      implements Command {}

  public record Get(ActorRef<GetResult> replyTo) implements Command {}

  /** From the hub: what became of a revision that never reported? */
  public record ResolveRevision(long revision, ActorRef<ResourceHub.Command> replyTo) implements Command {}

  /** The entity's own receive timeout under quick passivation ({@link EntitySettings}); never serialized. */
  private record Idle() implements Command, NoSerializationVerificationNeeded {}

  /** The mutations a client can ask for. */
  public sealed interface WriteOp extends ClusterMessage permits CreateOp, UpdateOp, DeleteOp, BindOp {
    ResourceType type();
  }

  /**
   * {@code manager} is the field manager recorded in managedFields (empty: the writing user);
   * {@code managedFieldsGiven} means the object's managedFields were already computed (server-side
   * apply) and are stored as they are.
   */
  public record CreateOp(ResourceType type, String object, String uid, String manager, boolean managedFieldsGiven)
      implements WriteOp {
    public CreateOp(ResourceType type, String object, String uid) {
      this(type, object, uid, "", false);
    }
  }

  public record UpdateOp(ResourceType type, String object, boolean statusOnly, String manager,
      boolean managedFieldsGiven) implements WriteOp {
    public UpdateOp(ResourceType type, String object, boolean statusOnly) {
      this(type, object, statusOnly, "", false);
    }
  }

  /**
   * {@code pods/binding}: the pod's node and its PodScheduled condition, decided against the current pod
   * and written in one event, as the registry's {@code BindingREST} does in one guaranteed update.
   * {@code binding} is the Binding object (target, annotations, uid and resourceVersion preconditions).
   */
  public record BindOp(ResourceType type, String name, String binding) implements WriteOp {}

  /**
   * {@code propagationPolicy}: Orphan, Foreground, Background, or "" for the type's default;
   * {@code gracePeriodSeconds}: the request's, null for the object's default ({@link GracefulDeletion}).
   */
  public record DeleteOp(ResourceType type, String name, String uid, String resourceVersion, String propagationPolicy,
      Long gracePeriodSeconds) implements WriteOp {
    public DeleteOp(ResourceType type, String name, String uid, String resourceVersion) {
      this(type, name, uid, resourceVersion, "", null);
    }

    public DeleteOp withPropagationPolicy(String policy) {
      return new DeleteOp(type, name, uid, resourceVersion, policy, gracePeriodSeconds);
    }
  }

  public sealed interface WriteResult extends ClusterMessage permits Written, NotChanged, Rejected, RetryWithNewRevision {}

  public record Written(ChangeKind kind, String object) implements WriteResult {}

  public record NotChanged(String object) implements WriteResult {}

  public record Rejected(ApiError error) implements WriteResult {}

  public record RetryWithNewRevision(long highestUsed) implements WriteResult {}

  public record GetResult(String object, long revision) implements ClusterMessage {}

  public sealed interface Event extends JournalEvent permits ObjectCreated, ObjectUpdated, DeletionMarked, ObjectDeleted, RevisionFenced {
    long revision();
  }

  public record ObjectCreated(long revision, String object, Instant at, String by) implements Event {}

  public record ObjectUpdated(long revision, String object, Instant at, String by) implements Event {}

  public record DeletionMarked(long revision, String object, Instant at, String by) implements Event {}

  public record ObjectDeleted(long revision, String object, Instant at, String by) implements Event {}

  /** A revision this object will never use: its allocation was given up. */
  public record RevisionFenced(long revision) implements Event {}

  public static final EntityTypeKey<Command> ENTITY_KEY = EntityTypeKey.create(Command.class, "obj");

  /** How to reach the hub of a resource type; sharding in production, a probe in unit tests. */
  public interface Hubs {
    void tell(String resourceKey, ResourceHub.Command message);
  }

  public static void init(ActorSystem<?> system, EntitySettings settings) {
    ClusterSharding sharding = ClusterSharding.get(system);
    Hubs hubs = (resource, msg) -> sharding.entityRefFor(ResourceHub.ENTITY_KEY, resource).tell(msg);
    sharding.init(Entity.of(ENTITY_KEY, ctx -> create(ctx.getEntityId(), hubs,
            settings.idleTimeout(ObjectKey.fromEntityId(ctx.getEntityId()).resource()), ctx.getShard()))
        .withRole(io.pekkube.actors.cluster.Roles.CONTROL_PLANE));
  }

  /** An entity that stays until sharding's idle timeout passivates it. */
  public static Behavior<Command> create(String entityId, Hubs hubs) {
    return create(entityId, hubs, Optional.empty(), null);
  }

  /**
   * An entity that, when {@code idle} is given, asks {@code shard} to passivate it after that long without a
   * message (sharding buffers what arrives meanwhile and starts it again for that).
   */
  public static Behavior<Command> create(String entityId, Hubs hubs, Optional<Duration> idle,
      ActorRef<ClusterSharding.ShardCommand> shard) {
    return Behaviors.setup(ctx -> {
      idle.ifPresent(timeout -> ctx.setReceiveTimeout(timeout, new Idle()));
      Runnable passivate = idle.isEmpty() ? () -> { } : () -> shard.tell(new ClusterSharding.Passivate<>(ctx.getSelf()));
      return new ResourceEntity(entityId, hubs, passivate);
    });
  }

  private final ObjectKey key;
  private final Hubs hubs;
  private final Runnable passivate;

  private ResourceEntity(String entityId, Hubs hubs, Runnable passivate) {
    super(PersistenceId.of(ENTITY_KEY.name(), entityId),
        SupervisorStrategy.restartWithBackoff(Duration.ofMillis(200), Duration.ofSeconds(5), 0.2));
    this.key = ObjectKey.fromEntityId(entityId);
    this.hubs = hubs;
    this.passivate = passivate;
  }

  @Override
  public State emptyState() {
    return State.EMPTY;
  }

  @Override
  public RetentionCriteria retentionCriteria() {
    return RetentionCriteria.snapshotEvery(50, 2);
  }

  @Override
  public CommandHandlerWithReply<Command, Event, State> commandHandler() {
    return newCommandHandlerWithReplyBuilder()
        .forAnyState()
        .onCommand(Write.class, this::onWrite)
        .onCommand(Get.class, (state, cmd) -> Effect().reply(cmd.replyTo(), new GetResult(state.object(), state.revision())))
        .onCommand(ResolveRevision.class, this::onResolve)
        .onCommand(Idle.class, (state, cmd) -> Effect().none().thenRun(s -> passivate.run()).thenNoReply())
        .build();
  }

  private ReplyEffect<Event, State> onWrite(State state, Write cmd) {
    boolean dryRun = cmd.revision() == 0;
    if (!dryRun && cmd.revision() <= state.highestUsed()) {
      hubs.tell(key.resource(), new ResourceHub.Aborted(cmd.revision()));
      return Effect().reply(cmd.replyTo(), new RetryWithNewRevision(state.highestUsed()));
    }
    Instant now = Instant.now();
    Decision decision = decide(state, cmd.op(), now, dryRun ? state.revision() + 1 : cmd.revision(), cmd.user());
    if (dryRun) {
      return Effect().reply(cmd.replyTo(), dryRunResult(decision));
    }
    if (decision instanceof Persist p) {
      String json = Json.write(p.object());
      Event event = switch (p.kind()) {
        case ADDED -> new ObjectCreated(cmd.revision(), json, now, cmd.user());
        case MODIFIED -> p.object().path("metadata").hasNonNull("deletionTimestamp")
                && (state.object() == null || !state.current().path("metadata").hasNonNull("deletionTimestamp"))
            ? new DeletionMarked(cmd.revision(), json, now, cmd.user())
            : new ObjectUpdated(cmd.revision(), json, now, cmd.user());
        case DELETED -> new ObjectDeleted(cmd.revision(), json, now, cmd.user());
      };
      return Effect().persist(event)
          .thenRun(s -> hubs.tell(key.resource(), new ResourceHub.Committed(cmd.revision(), key, p.kind(), json)))
          .thenReply(cmd.replyTo(), s -> new Written(p.kind(), json));
    }
    hubs.tell(key.resource(), new ResourceHub.Aborted(cmd.revision()));
    return Effect().reply(cmd.replyTo(), dryRunResult(decision));
  }

  private static WriteResult dryRunResult(Decision decision) {
    if (decision instanceof Persist p) {
      return new Written(p.kind(), Json.write(p.object()));
    } else if (decision instanceof Unchanged u) {
      return new NotChanged(Json.write(u.current()));
    }
    return new Rejected(((Fail) decision).error());
  }

  static Decision decide(State state, WriteOp op, Instant now, long revision, String user) {
    ObjectNode current = state.current();
    if (op instanceof CreateOp c) {
      return ObjectWrites.create(c.type(), current, Json.parseTrusted(c.object()), now, c.uid(), revision,
          new ObjectWrites.Manager(c.manager().isEmpty() ? user : c.manager(), c.managedFieldsGiven()));
    } else if (op instanceof UpdateOp u) {
      return ObjectWrites.update(u.type(), current, Json.parseTrusted(u.object()), u.statusOnly(), revision,
          new ObjectWrites.Manager(u.manager().isEmpty() ? user : u.manager(), u.managedFieldsGiven()), now);
    } else if (op instanceof BindOp b) {
      return PodBinding.decide(b.type(), current, b.name(), Json.parseTrusted(b.binding()), now, revision);
    }
    DeleteOp d = (DeleteOp) op;
    return ObjectWrites.delete(d.type(), current, d.name(), d.uid(), d.resourceVersion(), d.propagationPolicy(),
        d.gracePeriodSeconds(), now, revision);
  }

  /**
   * The hub asks about a revision whose write never reported. If it is the current one it was
   * committed; a lower one was superseded or refused; a higher one is fenced so a late write with
   * it is refused.
   */
  private ReplyEffect<Event, State> onResolve(State state, ResolveRevision cmd) {
    long rev = cmd.revision();
    if (rev == state.revision()) {
      return Effect().reply(cmd.replyTo(), new ResourceHub.Committed(rev, key, state.lastChange(), state.object()));
    }
    if (rev <= state.highestUsed()) {
      return Effect().reply(cmd.replyTo(), new ResourceHub.Aborted(rev));
    }
    return Effect().persist(new RevisionFenced(rev))
        .thenReply(cmd.replyTo(), s -> new ResourceHub.Aborted(rev));
  }

  @Override
  public EventHandler<State, Event> eventHandler() {
    return newEventHandlerBuilder().forAnyState().onAnyEvent(ResourceEntity::apply);
  }

  /** The pure state transition, shared with the hub's cache loader that folds journals. */
  public static State apply(State state, Event event) {
    if (event instanceof RevisionFenced f) {
      return new State(state.object(), state.revision(), state.lastChange(), Math.max(state.fence(), f.revision()));
    } else if (event instanceof ObjectDeleted d) {
      return new State(null, d.revision(), ChangeKind.DELETED, state.fence());
    } else if (event instanceof ObjectCreated c) {
      return new State(c.object(), c.revision(), ChangeKind.ADDED, state.fence());
    } else if (event instanceof ObjectUpdated u) {
      return new State(u.object(), u.revision(), ChangeKind.MODIFIED, state.fence());
    }
    DeletionMarked m = (DeletionMarked) event;
    return new State(m.object(), m.revision(), ChangeKind.MODIFIED, state.fence());
  }
}
