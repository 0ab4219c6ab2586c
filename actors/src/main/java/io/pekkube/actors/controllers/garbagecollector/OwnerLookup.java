package io.pekkube.actors.controllers.garbagecollector;

import com.fasterxml.jackson.databind.JsonNode;
import io.pekkube.actors.api.Json;
import io.pekkube.actors.api.ResourceType;
import io.pekkube.actors.api.TypeRegistry;
import io.pekkube.actors.controllers.runtime.ObjectRef;
import io.pekkube.actors.gateway.ApiClient;
import io.pekkube.actors.resources.DeletionFinalizers;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * Reads the owners an object names, live (not from a cache), as the garbage collector must before it
 * deletes anything: an owner is looked up by kind and name in the dependent's namespace (or cluster-wide
 * for a cluster-scoped kind) and counts only if its uid is the one referenced.
 */
final class OwnerLookup {
  private final ApiClient client;
  private final TypeRegistry types;

  OwnerLookup(ApiClient client, TypeRegistry types) {
    this.client = client;
    this.types = types;
  }

  CompletionStage<Map<String, OwnerState>> statesOf(ObjectRef dependent, List<OwnerReference> refs) {
    Map<String, OwnerState> states = new HashMap<>();
    CompletableFuture<?>[] reads = new CompletableFuture<?>[refs.size()];
    for (int i = 0; i < refs.size(); i++) {
      OwnerReference r = refs.get(i);
      reads[i] = stateOf(dependent, r).thenAccept(s -> {
        synchronized (states) {
          states.put(r.uid(), s);
        }
      }).toCompletableFuture();
    }
    return CompletableFuture.allOf(reads).thenApply(v -> states);
  }

  private CompletionStage<OwnerState> stateOf(ObjectRef dependent, OwnerReference ref) {
    Optional<ResourceType> found = types.byApiVersionKind(ref.apiVersion(), ref.kind())
        .or(() -> types.byGroupKind(ref.group(), ref.kind()));
    if (found.isEmpty() || (found.get().namespaced() && !dependent.type().namespaced())) {
      return CompletableFuture.completedFuture(OwnerState.UNRESOLVABLE);
    }
    ResourceType type = found.get();
    String namespace = type.namespaced() ? dependent.namespace() : "";
    return client.get(type, namespace, ref.name()).thenApply(got -> {
      if (got.object() == null) {
        return OwnerState.ABSENT;
      }
      JsonNode owner = Json.parseTrusted(got.object());
      if (!ref.uid().equals(Json.meta(owner, "uid"))) {
        return OwnerState.ABSENT;
      }
      boolean waits = owner.path("metadata").hasNonNull("deletionTimestamp")
          && DeletionFinalizers.finalizers(owner).contains(DeletionFinalizers.FOREGROUND);
      return waits ? OwnerState.DELETING_DEPENDENTS : OwnerState.PRESENT;
    });
  }
}
