package io.pekkube.actors.pods;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.pekkube.actors.api.ApiError;
import io.pekkube.actors.api.BuiltinTypes;
import io.pekkube.actors.api.Json;
import io.pekkube.actors.gateway.ApiClient;
import io.pekkube.actors.resources.ResourceEntity;
import java.time.Instant;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * The write path of {@code pods/binding}, shared by the HTTP route and the scheduler: read the pod,
 * decide with {@link PodBinding#bind}, write the spec with the read resourceVersion (of two binders
 * only one wins; the loser re-reads and gets the 409 "already assigned"), then the PodScheduled
 * condition in a status write.
 */
public final class PodBinder {
  private static final int ATTEMPTS = 3;

  /** Null error: bound (for a dry run, would be bound). */
  public record Outcome(ApiError error) {
    public boolean bound() {
      return error == null;
    }
  }

  private final ApiClient client;

  public PodBinder(ApiClient client) {
    this.client = client;
  }

  /** A Binding with only its target, as the scheduler sends it. */
  public static ObjectNode bindingTo(String namespace, String pod, String node) {
    ObjectNode binding = Json.object();
    binding.put("apiVersion", "v1");
    binding.put("kind", "Binding");
    binding.putObject("metadata").put("name", pod).put("namespace", namespace);
    binding.putObject("target").put("kind", "Node").put("name", node);
    return binding;
  }

  public CompletionStage<Outcome> bind(String namespace, String name, JsonNode binding, boolean dryRun, String user) {
    return bind(namespace, name, binding, dryRun, user, 1);
  }

  private CompletionStage<Outcome> bind(String namespace, String name, JsonNode binding, boolean dryRun, String user,
      int attempt) {
    return client.get(BuiltinTypes.POD, namespace, name).thenCompose(got -> {
      if (got.object() == null) {
        return done(ApiError.notFound(BuiltinTypes.POD, name));
      }
      PodBinding.Bound bound = PodBinding.bind(Json.parseTrusted(got.object()), binding, Instant.now());
      if (bound.error() != null) {
        return done(bound.error());
      }
      return client.update(BuiltinTypes.POD, namespace, bound.pod(), false, dryRun, user).thenCompose(result -> {
        if (result instanceof ResourceEntity.Rejected rej && rej.error().code() == 409 && attempt < ATTEMPTS) {
          return bind(namespace, name, binding, dryRun, user, attempt + 1);
        }
        if (result instanceof ResourceEntity.Rejected rej) {
          return done(rej.error());
        }
        if (!(result instanceof ResourceEntity.Written w)) {
          return done(ApiError.unavailable("the binding could not be written; retry"));
        }
        if (dryRun) {
          return done(null);
        }
        ObjectNode withStatus = Json.parseTrusted(w.object());
        withStatus.set("status", bound.pod().get("status"));
        return client.update(BuiltinTypes.POD, namespace, withStatus, true, false, user)
            .thenApply(s -> new Outcome(null));
      });
    });
  }

  private static CompletionStage<Outcome> done(ApiError error) {
    return CompletableFuture.completedFuture(new Outcome(error));
  }
}
