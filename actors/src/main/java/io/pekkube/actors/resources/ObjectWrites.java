package io.pekkube.actors.resources;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.pekkube.actors.api.ApiError;
import io.pekkube.actors.api.Json;
import io.pekkube.actors.api.ResourceType;
import io.pekkube.actors.api.fields.ManagedFields;
import io.pekkube.actors.api.fields.MergeSchema;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.Iterator;
import java.util.Set;

/**
 * The metadata semantics of Kubernetes writes, as pure functions of (current object, request):
 * uid and creationTimestamp on create, generation bumped on spec changes only, resourceVersion
 * preconditions, status kept apart from spec, finalizers and deletionTimestamp. No I/O and no clock
 * here: the time, uid and revision come in as arguments.
 */
public final class ObjectWrites {
  /** Kinds whose create keeps the status the client sent (Namespace's is then set by its defaults). */
  private static final Set<String> KEEP_STATUS_ON_CREATE = Set.of("Namespace", "Node");

  private ObjectWrites() {}

  /** What a write decides. */
  public sealed interface Decision permits Persist, Unchanged, Fail {}

  /** Persist {@code object} (already carrying its new resourceVersion) as an event of {@code kind}. */
  public record Persist(ChangeKind kind, ObjectNode object) implements Decision {}

  /** Nothing to write: the request would not change the object. */
  public record Unchanged(ObjectNode current) implements Decision {}

  public record Fail(ApiError error) implements Decision {}

  /** The kind of change a persisted write is, as a watch reports it. */
  public enum ChangeKind { ADDED, MODIFIED, DELETED }

  /** Who writes, for managedFields; {@code given}: the object carries managedFields already computed. */
  public record Manager(String name, boolean given) {
    public static final Manager NONE = new Manager("", true);
  }

  public static String timestamp(Instant at) {
    return DateTimeFormatter.ISO_INSTANT.format(at.truncatedTo(ChronoUnit.SECONDS));
  }

  public static Decision create(
      ResourceType type, ObjectNode current, ObjectNode incoming, Instant now, String uid, long revision) {
    return create(type, current, incoming, now, uid, revision, Manager.NONE);
  }

  public static Decision create(ResourceType type, ObjectNode current, ObjectNode incoming, Instant now,
      String uid, long revision, Manager manager) {
    String name = Json.meta(incoming, "name");
    if (current != null) {
      return new Fail(ApiError.alreadyExists(type, name));
    }
    ObjectNode obj = incoming.deepCopy();
    obj.put("apiVersion", type.apiVersion());
    obj.put("kind", type.kind());
    ObjectNode meta = Json.metadata(obj);
    meta.put("uid", uid);
    meta.put("creationTimestamp", timestamp(now));
    meta.remove("deletionTimestamp");
    meta.remove("deletionGracePeriodSeconds");
    meta.remove("generation");
    if (tracksGeneration(type)) {
      meta.put("generation", 1);
    }
    // Status is the system's, except where Kubernetes' create strategy keeps it: a Node is created by its
    // kubelet with its capacity and conditions (nodeStrategy.PrepareForCreate keeps them).
    if (type.hasStatus() && !KEEP_STATUS_ON_CREATE.contains(type.kind())) {
      obj.remove("status");
    }
    Defaults.apply(type, obj);
    recordManager(type, null, obj, manager, "", now);
    meta.put("resourceVersion", Long.toString(revision));
    return new Persist(ChangeKind.ADDED, obj);
  }

  /**
   * A full replacement of the object (PUT), of its main resource or, with {@code statusOnly}, of
   * its status subresource.
   */
  public static Decision update(
      ResourceType type, ObjectNode current, ObjectNode incoming, boolean statusOnly, long revision) {
    return update(type, current, incoming, statusOnly, revision, Manager.NONE, Instant.EPOCH);
  }

  public static Decision update(ResourceType type, ObjectNode current, ObjectNode incoming, boolean statusOnly,
      long revision, Manager manager, Instant now) {
    String name = Json.meta(incoming, "name");
    if (current == null) {
      return new Fail(ApiError.notFound(type, name));
    }
    ApiError precondition = checkPreconditions(type, current,
        Json.meta(incoming, "uid"), Json.meta(incoming, "resourceVersion"));
    if (precondition != null) {
      return new Fail(precondition);
    }
    ObjectNode next;
    if (statusOnly) {
      next = current.deepCopy();
      JsonNode status = incoming.get("status");
      if (status == null) {
        next.remove("status");
      } else {
        next.set("status", status.deepCopy());
      }
    } else {
      next = incoming.deepCopy();
      next.put("apiVersion", type.apiVersion());
      next.put("kind", type.kind());
      if (type.hasStatus()) {
        JsonNode oldStatus = current.get("status");
        if (oldStatus == null) {
          next.remove("status");
        } else {
          next.set("status", oldStatus.deepCopy());
        }
      }
      keepServerManagedMetadata(current, next);
      if (tracksGeneration(type) && specChanged(current, next)) {
        Json.metadata(next).put("generation", current.path("metadata").path("generation").asLong(0) + 1);
      }
    }
    if (statusOnly && manager.given()) {
      JsonNode managed = incoming.path("metadata").get("managedFields");
      if (managed == null) {
        Json.metadata(next).remove("managedFields");
      } else {
        Json.metadata(next).set("managedFields", managed.deepCopy());
      }
    }
    recordManager(type, current, next, manager, statusOnly ? "status" : "", now);
    return finish(type, current, next, revision);
  }

  /**
   * A change the server derives from the object itself, spec and status together (a subresource such as
   * {@code pods/binding}): no client's fields to check or keep, only the new resourceVersion.
   */
  public static Decision derived(ResourceType type, ObjectNode current, ObjectNode next, long revision) {
    return finish(type, current, next, revision);
  }

  /** DELETE with the type's default propagation policy and grace period. */
  public static Decision delete(
      ResourceType type, ObjectNode current, String name, String preconditionUid,
      String preconditionRv, Instant now, long revision) {
    return delete(type, current, name, preconditionUid, preconditionRv, "", null, now, revision);
  }

  /**
   * DELETE, as the registry's store does it: a graceful deletion already running that the request
   * does not shorten changes nothing ({@link GracefulDeletion}); otherwise the garbage-collection
   * finalizers the propagation {@code policy} asks for are set ({@link DeletionFinalizers}), and the
   * object is marked (deletionTimestamp, deletionGracePeriodSeconds) while a grace period runs or
   * finalizers hold it, and removed otherwise. An object already marked only changes when the policy
   * changes its finalizers or the grace period gets shorter. {@code gracePeriodSeconds}: the
   * request's, null when it named none.
   */
  public static Decision delete(
      ResourceType type, ObjectNode current, String name, String preconditionUid,
      String preconditionRv, String policy, Long gracePeriodSeconds, Instant now, long revision) {
    if (current == null) {
      return new Fail(ApiError.notFound(type, name));
    }
    ApiError precondition = checkPreconditions(type, current, preconditionUid, preconditionRv);
    if (precondition != null) {
      return new Fail(precondition);
    }
    GracefulDeletion.Plan grace = GracefulDeletion.plan(type, current, gracePeriodSeconds, now);
    if (grace instanceof GracefulDeletion.Pending) {
      return new Unchanged(current);
    }
    ObjectNode next = current.deepCopy();
    ObjectNode meta = Json.metadata(next);
    java.util.List<String> finalizers = DeletionFinalizers.afterDelete(type, current, policy);
    boolean finalizersChanged = !new java.util.HashSet<>(finalizers)
        .equals(new java.util.HashSet<>(DeletionFinalizers.finalizers(current)));
    if (finalizersChanged) {
      if (finalizers.isEmpty()) {
        meta.remove("finalizers");
      } else {
        ArrayNode list = meta.putArray("finalizers");
        finalizers.forEach(list::add);
      }
    }
    boolean held = heldByFinalizers(type, next);
    if (grace instanceof GracefulDeletion.Mark mark) {
      meta.put("deletionTimestamp", timestamp(mark.at()));
      meta.put("deletionGracePeriodSeconds", mark.seconds());
      if (mark.first() && tracksGeneration(type)) {
        meta.put("generation", meta.path("generation").asLong(0) + 1);
      }
      meta.put("resourceVersion", Long.toString(revision));
      return new Persist(held || mark.seconds() > 0 ? ChangeKind.MODIFIED : ChangeKind.DELETED, next);
    }
    if (held) {
      if (meta.hasNonNull("deletionTimestamp")) {
        if (!finalizersChanged) {
          return new Unchanged(current);
        }
        meta.put("resourceVersion", Long.toString(revision));
        return new Persist(ChangeKind.MODIFIED, next);
      }
      meta.put("deletionTimestamp", timestamp(now));
      meta.put("deletionGracePeriodSeconds", 0);
      if (tracksGeneration(type)) {
        meta.put("generation", meta.path("generation").asLong(0) + 1);
      }
      if ("Namespace".equals(type.kind())) {
        ((ObjectNode) next.with("status")).put("phase", "Terminating");
      }
      meta.put("resourceVersion", Long.toString(revision));
      return new Persist(ChangeKind.MODIFIED, next);
    }
    meta.put("resourceVersion", Long.toString(revision));
    return new Persist(ChangeKind.DELETED, next);
  }

  private static void recordManager(ResourceType type, ObjectNode live, ObjectNode next, Manager manager,
      String subresource, Instant now) {
    if (!manager.given()) {
      ManagedFields.recordUpdate(live, next, MergeSchema.forType(type), manager.name(),
          type.apiVersion(), subresource, timestamp(now));
    }
  }

  /** Conflict (409) when a uid or resourceVersion precondition does not hold, else null. */
  static ApiError checkPreconditions(ResourceType type, ObjectNode current, String uid, String rv) {
    String name = Json.meta(current, "name");
    if (!uid.isEmpty() && !uid.equals(Json.meta(current, "uid"))) {
      return ApiError.conflict(type, name, "Precondition failed: UID in precondition: " + uid
          + ", UID in object meta: " + Json.meta(current, "uid"));
    }
    if (!rv.isEmpty() && !rv.equals(Json.meta(current, "resourceVersion"))) {
      return ApiError.staleResourceVersion(type, name);
    }
    return null;
  }

  private static Decision finish(ResourceType type, ObjectNode current, ObjectNode next, long revision) {
    ObjectNode meta = Json.metadata(next);
    meta.put("resourceVersion", Json.meta(current, "resourceVersion"));
    if (next.equals(current)) {
      return new Unchanged(current);
    }
    meta.put("resourceVersion", Long.toString(revision));
    if (deletableOnUpdate(type, current, next)) {
      return new Persist(ChangeKind.DELETED, next);
    }
    return new Persist(ChangeKind.MODIFIED, next);
  }

  /**
   * The store's {@code shouldDeleteDuringUpdate}: an update that leaves no finalizer on an object being
   * deleted removes it, unless a grace period is still running (a pod its kubelet is stopping).
   */
  private static boolean deletableOnUpdate(ResourceType type, ObjectNode current, ObjectNode next) {
    JsonNode meta = current.path("metadata");
    return meta.hasNonNull("deletionTimestamp") && !heldByFinalizers(type, next)
        && meta.path("deletionGracePeriodSeconds").asLong(0) == 0;
  }

  /** Fields the server owns: a client's PUT cannot change them. */
  private static void keepServerManagedMetadata(ObjectNode current, ObjectNode next) {
    ObjectNode oldMeta = Json.metadata(current);
    ObjectNode meta = Json.metadata(next);
    for (String field : new String[] {"uid", "creationTimestamp", "deletionTimestamp",
        "deletionGracePeriodSeconds", "generation", "name", "namespace"}) {
      JsonNode v = oldMeta.get(field);
      if (v == null) {
        meta.remove(field);
      } else {
        meta.set(field, v.deepCopy());
      }
    }
    if (!meta.has("generateName") && oldMeta.has("generateName")) {
      meta.set("generateName", oldMeta.get("generateName").deepCopy());
    }
  }

  /** Finalizers keep a deleted object until they are all removed; a namespace also has spec.finalizers. */
  static boolean heldByFinalizers(ResourceType type, JsonNode object) {
    return nonEmpty(object.path("metadata").path("finalizers"))
        || ("Namespace".equals(type.kind()) && nonEmpty(object.path("spec").path("finalizers")));
  }

  private static boolean nonEmpty(JsonNode array) {
    return array instanceof ArrayNode a && !a.isEmpty();
  }

  /** Types with a spec/status split count generations (as their Kubernetes strategies do). */
  static boolean tracksGeneration(ResourceType type) {
    return type.hasStatus();
  }

  /** A change outside metadata and status is a spec change. */
  static boolean specChanged(ObjectNode before, ObjectNode after) {
    return !withoutMetaAndStatus(before).equals(withoutMetaAndStatus(after));
  }

  private static ObjectNode withoutMetaAndStatus(ObjectNode object) {
    ObjectNode copy = Json.object();
    Iterator<String> names = object.fieldNames();
    while (names.hasNext()) {
      String n = names.next();
      if (!n.equals("metadata") && !n.equals("status") && !n.equals("apiVersion") && !n.equals("kind")) {
        copy.set(n, object.get(n));
      }
    }
    return copy;
  }
}
