package io.pekkube.http.patch;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.pekkube.actors.api.ApiError;
import io.pekkube.actors.api.Json;
import io.pekkube.actors.api.ResourceType;
import io.pekkube.actors.gateway.ApiClient;
import io.pekkube.actors.gateway.FieldManager;
import io.pekkube.actors.resources.ObjectWrites;
import io.pekkube.actors.resources.ResourceEntity;
import io.pekkube.actors.resources.ResourceEntity.WriteResult;
import java.time.Instant;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.UnaryOperator;

/**
 * Read, change, write with the read resourceVersion as precondition, and on a conflict read again
 * and redo the change (Kubernetes' GuaranteedUpdate). A change that pins resourceVersion itself is
 * not redone: its conflict is the client's answer. PATCH uses it; other subresources (e.g. /scale)
 * can pass their own {@link Change}.
 */
public final class Patcher {
  /** How often a write that lost a race is redone on a fresh read. */
  static final int ATTEMPTS = 5;

  private final ApiClient client;

  public Patcher(ApiClient client) {
    this.client = client;
  }

  /** What a write should make of the current object. */
  public interface Change {
    /** The object to write, from the current one (null when it does not exist); may throw PatchFailure. */
    ObjectNode apply(ObjectNode current);

    /** Whether the object may be created when it does not exist (server-side apply). */
    default boolean createsMissing() {
      return false;
    }

    /** Whether the change sets resourceVersion itself (a precondition that is not retried). */
    default boolean pinsResourceVersion() {
      return false;
    }
  }

  /** The outcome of a guaranteed update: the write result and whether it created the object. */
  public record Outcome(WriteResult result, boolean created) {}

  /** Where and how to write. */
  public record Target(ResourceType type, String namespace, String name, boolean statusOnly, boolean dryRun,
      String user, FieldManager manager) {}

  /** A PATCH of any of the four types. */
  public CompletionStage<Outcome> patch(Target target, PatchDocument patch, String manager, boolean force) {
    return patch(target, patch, manager, force, UnaryOperator.identity());
  }

  /**
   * A PATCH whose patched object (JSON, merge, strategic) goes through {@code checkPatched} before it
   * is written (field validation; it may drop fields or throw PatchFailure).
   */
  public CompletionStage<Outcome> patch(Target target, PatchDocument patch, String manager, boolean force,
      UnaryOperator<ObjectNode> checkPatched) {
    ResourceType type = target.type();
    if (patch.type() == PatchType.APPLY) {
      ObjectNode applied = patch.applied();
      ApiError wrong = checkApplied(type, applied, target);
      if (wrong != null) {
        return done(new Outcome(new ResourceEntity.Rejected(wrong), false));
      }
      Target applyTarget = new Target(type, target.namespace(), target.name(), target.statusOnly(),
          target.dryRun(), target.user(), FieldManager.applied());
      return guaranteedUpdate(applyTarget, new Change() {
        @Override
        public ObjectNode apply(ObjectNode current) {
          ObjectNode next = ServerSideApply.apply(type, current, applied, manager, force,
              target.statusOnly() ? "status" : "", ObjectWrites.timestamp(Instant.now()));
          if (current == null) {
            Json.metadata(next).put("name", target.name());
          }
          return next;
        }

        @Override
        public boolean createsMissing() {
          return !target.statusOnly();
        }

        @Override
        public boolean pinsResourceVersion() {
          return patch.pinsResourceVersion();
        }
      });
    }
    return guaranteedUpdate(target, new Change() {
      @Override
      public ObjectNode apply(ObjectNode current) {
        return checkPatched.apply(patch.applyTo(type, current));
      }

      @Override
      public boolean pinsResourceVersion() {
        return patch.pinsResourceVersion();
      }
    });
  }

  /** Reads the object, applies {@code change}, writes conditionally, and redoes it on a lost race. */
  public CompletionStage<Outcome> guaranteedUpdate(Target target, Change change) {
    return attempt(target, change, 1);
  }

  private CompletionStage<Outcome> attempt(Target t, Change change, int attempt) {
    return client.get(t.type(), t.namespace(), t.name()).thenCompose(got -> {
      ObjectNode current = got.object() == null ? null : Json.parseTrusted(got.object());
      if (current == null && !change.createsMissing()) {
        return done(new Outcome(new ResourceEntity.Rejected(ApiError.notFound(t.type(), t.name())), false));
      }
      ObjectNode next;
      try {
        next = change.apply(current);
      } catch (PatchFailure f) {
        return done(new Outcome(new ResourceEntity.Rejected(f.error()), false));
      }
      ApiError moved = checkIdentity(t, current, next);
      if (moved != null) {
        return done(new Outcome(new ResourceEntity.Rejected(moved), false));
      }
      if (current == null) {
        return client.create(t.type(), t.namespace(), next, t.dryRun(), t.user(), t.manager())
            .thenCompose(r -> r instanceof ResourceEntity.Rejected rej && rej.error().reason().equals("AlreadyExists")
                && attempt < ATTEMPTS ? attempt(t, change, attempt + 1) : done(new Outcome(r, true)));
      }
      if (!change.pinsResourceVersion() || Json.meta(next, "resourceVersion").isEmpty()) {
        Json.metadata(next).put("resourceVersion", Json.meta(current, "resourceVersion"));
      }
      return client.update(t.type(), t.namespace(), next, t.statusOnly(), t.dryRun(), t.user(), t.manager())
          .thenCompose(r -> lostRace(r) && !change.pinsResourceVersion() && attempt < ATTEMPTS
              ? attempt(t, change, attempt + 1)
              : done(new Outcome(r, false)));
    });
  }

  private static boolean lostRace(WriteResult r) {
    return r instanceof ResourceEntity.Rejected rej && rej.error().code() == 409
        && rej.error().reason().equals("Conflict") && rej.error().message().contains("has been modified");
  }

  /** A patch may not move the object: kind, apiVersion, name and namespace stay those of the URL. */
  private static ApiError checkIdentity(Target t, ObjectNode current, ObjectNode next) {
    String apiVersion = next.path("apiVersion").asText("");
    String kind = next.path("kind").asText("");
    if (current != null && (!apiVersion.isEmpty() && !apiVersion.equals(t.type().apiVersion())
        || !kind.isEmpty() && !kind.equals(t.type().kind()))) {
      return ApiError.badRequest("the API version in the data (" + apiVersion + ") and kind (" + kind
          + ") do not match the request's " + t.type().apiVersion() + " " + t.type().kind());
    }
    if (!(next.get("metadata") instanceof ObjectNode)) {
      return ApiError.badRequest("metadata must be an object");
    }
    String name = Json.meta(next, "name");
    if (!name.equals(t.name())) {
      return ApiError.badRequest("the name of the object (" + name + ") does not match the name on the URL ("
          + t.name() + ")");
    }
    String ns = Json.meta(next, "namespace");
    if (t.type().namespaced() && !ns.isEmpty() && !ns.equals(t.namespace())) {
      return ApiError.badRequest("the namespace of the provided object does not match the namespace sent on the request");
    }
    return null;
  }

  private static ApiError checkApplied(ResourceType type, ObjectNode applied, Target t) {
    String apiVersion = applied.path("apiVersion").asText("");
    String kind = applied.path("kind").asText("");
    if (apiVersion.isEmpty() || kind.isEmpty()) {
      return ApiError.badRequest("Object 'Kind' is missing in '" + Json.write(applied) + "'");
    }
    if (!apiVersion.equals(type.apiVersion()) || !kind.equals(type.kind())) {
      return ApiError.badRequest("the API version in the data (" + apiVersion + ") and kind (" + kind
          + ") do not match the request's " + type.apiVersion() + " " + type.kind());
    }
    String name = Json.meta(applied, "name");
    if (!name.isEmpty() && !name.equals(t.name())) {
      return ApiError.badRequest("the name of the object (" + name + ") does not match the name on the URL ("
          + t.name() + ")");
    }
    return null;
  }

  private static <T> CompletionStage<T> done(T v) {
    return CompletableFuture.completedFuture(v);
  }
}
