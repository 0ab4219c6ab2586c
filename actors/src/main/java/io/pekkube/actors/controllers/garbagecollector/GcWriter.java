package io.pekkube.actors.controllers.garbagecollector;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.pekkube.actors.api.Json;
import io.pekkube.actors.controllers.runtime.ObjectRef;
import io.pekkube.actors.controllers.garbagecollector.GcAction.DeleteObject;
import io.pekkube.actors.controllers.garbagecollector.GcAction.RemoveFinalizer;
import io.pekkube.actors.controllers.garbagecollector.GcAction.RemoveOwnerReferences;
import io.pekkube.actors.gateway.ApiClient;
import io.pekkube.actors.resources.ResourceEntity;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Predicate;

/**
 * Carries out the garbage collector's actions through the gateway, one after the other, each with
 * preconditions: a delete names the uid and resourceVersion it decided on; an edit reads the object,
 * changes a copy and writes it back with the read resourceVersion (again on a conflict). An object
 * already gone counts as done. A failure stops the list; the collector reconciles again later.
 */
final class GcWriter {
  static final String USER = "system:serviceaccount:kube-system:generic-garbage-collector";
  private static final int EDIT_ATTEMPTS = 5;

  private final ApiClient client;

  GcWriter(ApiClient client) {
    this.client = client;
  }

  /** A write the API refused; the collector retries the object later. */
  static final class WriteFailed extends RuntimeException {
    WriteFailed(String message) {
      super(message, null, false, false);
    }
  }

  CompletionStage<Void> run(List<GcAction> actions) {
    CompletionStage<Void> chain = CompletableFuture.completedFuture(null);
    for (GcAction a : actions) {
      chain = chain.thenCompose(v -> apply(a));
    }
    return chain;
  }

  private CompletionStage<Void> apply(GcAction action) {
    if (action instanceof DeleteObject d) {
      return client.delete(d.ref().type(), d.ref().namespace(), d.ref().name(), d.uid(), d.resourceVersion(),
          d.policy(), false, USER).thenApply(r -> check(d, r));
    } else if (action instanceof RemoveOwnerReferences r) {
      return edit(r.ref(), r.uid(), object -> removeFromMetadata(object, "ownerReferences",
          ref -> r.ownerUids().contains(ref.path("uid").asText())), EDIT_ATTEMPTS);
    }
    RemoveFinalizer f = (RemoveFinalizer) action;
    return edit(f.ref(), f.uid(), object -> removeFromMetadata(object, "finalizers",
        v -> v.asText().equals(f.finalizer())), EDIT_ATTEMPTS);
  }

  private CompletionStage<Void> edit(ObjectRef ref, String uid, java.util.function.Function<ObjectNode, Boolean> change,
      int attempts) {
    return client.get(ref.type(), ref.namespace(), ref.name()).thenCompose(got -> {
      if (got.object() == null) {
        return done();
      }
      ObjectNode object = Json.parseTrusted(got.object());
      if (!uid.equals(Json.meta(object, "uid")) || !change.apply(object)) {
        return done();
      }
      return client.update(ref.type(), ref.namespace(), object, false, false, USER).thenCompose(r -> {
        if (r instanceof ResourceEntity.Rejected rej && rej.error().code() == 409 && attempts > 1) {
          return edit(ref, uid, change, attempts - 1);
        }
        check(ref, r);
        return done();
      });
    });
  }

  /** Drops the matching entries of a metadata list, and the list when it ends up empty (as Go omits it). */
  private static boolean removeFromMetadata(ObjectNode object, String field, Predicate<JsonNode> drop) {
    ObjectNode meta = Json.metadata(object);
    if (!(meta.get(field) instanceof ArrayNode array)) {
      return false;
    }
    boolean removed = false;
    for (Iterator<JsonNode> it = array.iterator(); it.hasNext(); ) {
      if (drop.test(it.next())) {
        it.remove();
        removed = true;
      }
    }
    if (array.isEmpty()) {
      meta.remove(field);
    }
    return removed;
  }

  private static Void check(Object what, ResourceEntity.WriteResult result) {
    if (result instanceof ResourceEntity.Rejected rej && rej.error().code() != 404) {
      throw new WriteFailed(what + ": " + rej.error().code() + " " + rej.error().message());
    }
    return null;
  }

  private static CompletionStage<Void> done() {
    return CompletableFuture.completedFuture(null);
  }
}
