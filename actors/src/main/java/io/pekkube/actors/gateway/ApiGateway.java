package io.pekkube.actors.gateway;

import io.pekkube.actors.cluster.IslandGuard;
import io.pekkube.actors.cluster.Quorum;
import org.apache.pekko.cluster.typed.Cluster;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.pekkube.actors.admission.DefaultTolerationSeconds;
import io.pekkube.actors.admission.StorageObjectInUseProtection;
import io.pekkube.actors.api.ApiError;
import io.pekkube.actors.api.BuiltinTypes;
import io.pekkube.actors.api.Json;
import io.pekkube.actors.api.ObjectKey;
import io.pekkube.actors.api.ResourceType;
import io.pekkube.actors.api.TypeRegistry;
import io.pekkube.actors.resources.ResourceEntity;
import io.pekkube.actors.resources.ResourceEntity.CreateOp;
import io.pekkube.actors.resources.ResourceEntity.DeleteOp;
import io.pekkube.actors.resources.ResourceEntity.Rejected;
import io.pekkube.actors.resources.ResourceEntity.RetryWithNewRevision;
import io.pekkube.actors.resources.ResourceEntity.UpdateOp;
import io.pekkube.actors.resources.ResourceEntity.WriteOp;
import io.pekkube.actors.resources.ResourceEntity.WriteResult;
import io.pekkube.actors.resources.ResourceHub;
import io.pekkube.persistence.serialization.ClusterMessage;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeoutException;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.cluster.sharding.typed.javadsl.ClusterSharding;

/**
 * The only sender of writes to resource entities. For each write it runs the checks that need no
 * object state (names, labels, annotations, the namespace exists and is not terminating), takes a
 * revision from the type's hub and hands the write to the object's entity, taking a fresh revision
 * when the entity has already moved past the one it got.
 */
public final class ApiGateway {

  public sealed interface Command extends ClusterMessage permits Submit {}

  /** A write; {@code dryRun} validates and answers without persisting. */
  public record Submit(WriteOp op, String namespace, String name, boolean dryRun, String user,
      ActorRef<WriteResult> replyTo) implements Command {}

  private static final int MAX_REVISION_RETRIES = 20;
  private static final SecureRandom RANDOM = new SecureRandom();
  private static final char[] NAME_SUFFIX_ALPHABET = "bcdfghjklmnpqrstvwxz2456789".toCharArray();

  private ApiGateway() {}

  public static Behavior<Command> create(TypeRegistry types, Duration timeout) {
    return Behaviors.setup(ctx -> {
      WritePath path = new WritePath(ctx.getSystem(), types, timeout);
      return Behaviors.receive(Command.class)
          .onMessage(Submit.class, s -> {
            path.run(s).whenComplete((result, failure) ->
                s.replyTo().tell(failure == null ? result : new Rejected(asError(failure, timeout))));
            return Behaviors.same();
          })
          .build();
    });
  }

  static ApiError asError(Throwable failure, Duration timeout) {
    Throwable cause = failure instanceof CompletionException && failure.getCause() != null ? failure.getCause() : failure;
    if (cause instanceof TimeoutException) {
      return ApiError.timeout("the write did not complete within " + timeout.toSeconds()
          + "s; it may or may not have been applied");
    }
    return ApiError.internal(String.valueOf(cause.getMessage()));
  }

  /** The asynchronous steps of one write. */
  private static final class WritePath {
    private final ActorSystem<?> system;
    private final ClusterSharding sharding;
    private final Cluster cluster;
    private final IslandGuard islandGuard;
    /** Without a garbage collector no one would remove the orphan or foregroundDeletion finalizer. */
    private final boolean cascadingDeletion;
    private final TypeRegistry types;
    private final Duration timeout;
    private final DefaultTolerationSeconds defaultTolerations;
    private final StorageObjectInUseProtection storageProtection;

    WritePath(ActorSystem<?> system, TypeRegistry types, Duration timeout) {
      this.system = system;
      this.sharding = ClusterSharding.get(system);
      this.cluster = Cluster.get(system);
      this.islandGuard = IslandGuard.of(system);
      this.types = types;
      this.timeout = timeout;
      this.cascadingDeletion = system.settings().config().getBoolean("pekkube.controllers.garbage-collector.enabled");
      this.defaultTolerations = DefaultTolerationSeconds.from(system.settings().config());
      this.storageProtection = StorageObjectInUseProtection.from(system.settings().config());
    }

    CompletionStage<WriteResult> run(Submit s) {
      if (!Quorum.reachesMajority(cluster.state())) {
        return done(new Rejected(ApiError.unavailable("this member cannot reach a majority of the cluster; "
            + "it takes no writes until the partition heals or it is removed: retry on another member")));
      }
      if (islandGuard.isolated(cluster.selfMember(), cluster.state())) {
        return done(new Rejected(ApiError.unavailable("this member was restarted into a cluster of its own, "
            + "apart from its seeds; it takes no writes: retry on another member")));
      }
      WriteOp op = s.op();
      if (op instanceof DeleteOp d && !cascadingDeletion && !d.propagationPolicy().equals("Background")) {
        op = d.withPropagationPolicy("Background");
      }
      String name = s.name();
      if (op instanceof CreateOp c) {
        ObjectNode object = Json.parseTrusted(c.object());
        if (name.isEmpty()) {
          String generate = Json.meta(object, "generateName");
          if (!generate.isEmpty()) {
            name = generate + randomSuffix();
            Json.metadata(object).put("name", name);
          }
        }
        if (!s.namespace().isEmpty()) {
          Json.metadata(object).put("namespace", s.namespace());
        }
        if (op.type().equals(BuiltinTypes.POD)) {
          defaultTolerations.admit(object);
        }
        storageProtection.admit(op.type(), object);
        List<ApiError.Cause> causes = WriteValidation.validate(op.type(), object, true);
        if (!causes.isEmpty()) {
          return done(new Rejected(ApiError.invalid(op.type(), name, causes)));
        }
        op = new CreateOp(c.type(), Json.write(object), UUID.randomUUID().toString(), c.manager(),
            c.managedFieldsGiven());
      } else if (op instanceof UpdateOp u) {
        List<ApiError.Cause> causes = WriteValidation.validate(op.type(), Json.parseTrusted(u.object()), false);
        if (!causes.isEmpty()) {
          return done(new Rejected(ApiError.invalid(op.type(), name, causes)));
        }
      }
      ObjectKey key = new ObjectKey(op.type().resourceKey(), s.namespace(), name);
      WriteOp finalOp = op;
      CompletionStage<ApiError> namespaceCheck = op instanceof CreateOp && op.type().namespaced()
          ? checkNamespace(op.type(), s.namespace(), name) : done(null);
      return namespaceCheck.thenCompose(err -> err != null
          ? done(new Rejected(err))
          : s.dryRun() ? write(key, finalOp, 0, s.user()) : allocateAndWrite(key, finalOp, s.user(), 0));
    }

    private CompletionStage<WriteResult> allocateAndWrite(ObjectKey key, WriteOp op, String user, int attempt) {
      return sharding.entityRefFor(ResourceHub.ENTITY_KEY, key.resource())
          .<ResourceHub.Allocated>ask(reply -> new ResourceHub.Allocate(key, reply), timeout)
          .thenCompose(allocated -> write(key, op, allocated.revision(), user))
          .thenCompose(result -> {
            if (result instanceof RetryWithNewRevision && attempt < MAX_REVISION_RETRIES) {
              return allocateAndWrite(key, op, user, attempt + 1);
            } else if (result instanceof RetryWithNewRevision) {
              return done(new Rejected(ApiError.unavailable("too many concurrent writes to " + key.name())));
            }
            return done(result);
          });
    }

    private CompletionStage<WriteResult> write(ObjectKey key, WriteOp op, long revision, String user) {
      return sharding.entityRefFor(ResourceEntity.ENTITY_KEY, key.entityId())
          .ask(reply -> new ResourceEntity.Write(op, revision, user, reply), timeout);
    }

    private CompletionStage<ApiError> checkNamespace(ResourceType type, String namespace, String name) {
      ResourceType namespaces = types.byResourceKey("namespaces").orElseThrow();
      return sharding.entityRefFor(ResourceEntity.ENTITY_KEY,
              new ObjectKey("namespaces", "", namespace).entityId())
          .<ResourceEntity.GetResult>ask(ResourceEntity.Get::new, timeout)
          .thenApply(got -> {
            if (got.object() == null) {
              return ApiError.notFound(namespaces, namespace);
            }
            JsonNode ns = Json.parseTrusted(got.object());
            if (ns.path("metadata").hasNonNull("deletionTimestamp")
                || "Terminating".equals(ns.path("status").path("phase").asText())) {
              return ApiError.forbidden(type, name, "unable to create new content in namespace "
                  + namespace + " because it is being terminated");
            }
            return null;
          });
    }
  }

  private static <T> CompletionStage<T> done(T value) {
    return CompletableFuture.completedFuture(value);
  }

  static String randomSuffix() {
    char[] s = new char[5];
    for (int i = 0; i < s.length; i++) {
      s[i] = NAME_SUFFIX_ALPHABET[RANDOM.nextInt(NAME_SUFFIX_ALPHABET.length)];
    }
    return new String(s);
  }
}
