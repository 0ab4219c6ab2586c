package io.pekkube.actors.pods;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.pekkube.actors.api.ApiError;
import io.pekkube.actors.api.Json;
import io.pekkube.actors.gateway.ApiClient;
import io.pekkube.actors.resources.ResourceEntity;
import java.util.concurrent.CompletionStage;

/**
 * The write path of {@code pods/binding}, shared by the HTTP route and the scheduler: one write of the
 * pod's entity, which decides against the pod it holds ({@link PodBinding}). Of two binders only one
 * wins; the other gets the 409 "already assigned".
 */
public final class PodBinder {

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

  /** A Binding as the scheduler sends it: its target, and the uid of the pod it placed as a precondition. */
  public static ObjectNode bindingTo(String namespace, String pod, String uid, String node) {
    ObjectNode binding = Json.object();
    binding.put("apiVersion", "v1");
    binding.put("kind", "Binding");
    ObjectNode meta = binding.putObject("metadata").put("name", pod).put("namespace", namespace);
    if (!uid.isEmpty()) {
      meta.put("uid", uid);
    }
    binding.putObject("target").put("kind", "Node").put("name", node);
    return binding;
  }

  public CompletionStage<Outcome> bind(String namespace, String name, ObjectNode binding, boolean dryRun, String user) {
    return client.bind(namespace, name, binding, dryRun, user).thenApply(result -> {
      if (result instanceof ResourceEntity.Written) {
        return new Outcome(null);
      } else if (result instanceof ResourceEntity.Rejected rejected) {
        return new Outcome(rejected.error());
      }
      return new Outcome(ApiError.unavailable("the binding could not be written; retry"));
    });
  }
}
