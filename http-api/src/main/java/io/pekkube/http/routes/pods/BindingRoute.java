package io.pekkube.http.routes.pods;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.pekkube.actors.api.ApiError;
import io.pekkube.actors.api.Json;
import io.pekkube.actors.api.validation.FieldError;
import io.pekkube.actors.gateway.ApiClient;
import io.pekkube.actors.resources.ResourceEntity;
import io.pekkube.http.errors.Statuses;
import io.pekkube.http.routes.Bodies;
import io.pekkube.http.routes.Replies;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletionStage;
import org.apache.pekko.http.javadsl.model.HttpResponse;
import org.apache.pekko.http.javadsl.model.StatusCodes;

/**
 * POST {@code pods/{name}/binding}: binds the pod to a node once. The spec write carries the pod's
 * resourceVersion, so of two binders only one wins; the loser re-reads and gets the 409 "already
 * assigned". The PodScheduled condition follows in a status write.
 */
public final class BindingRoute {
  private final ApiClient client;

  public BindingRoute(ApiClient client) {
    this.client = client;
  }

  public CompletionStage<HttpResponse> handle(PodRequest r) {
    if (!r.method().equals("POST")) {
      return Replies.error(ApiError.methodNotAllowed(r.method() + " is not supported on pods/binding"));
    }
    Bodies.Decoded d = Bodies.decode(r.mediaType(), r.body());
    if (d.error() != null) {
      return Replies.error(d.error());
    }
    ObjectNode binding = d.object();
    String kind = binding.path("kind").asText("");
    if (!kind.isEmpty() && !kind.equals("Binding")) {
      return Replies.error(ApiError.badRequest("the body must be a Binding, not " + kind));
    }
    String bodyName = Json.meta(binding, "name");
    if (!bodyName.isEmpty() && !bodyName.equals(r.name())) {
      return Replies.error(ApiError.badRequest("name in URL does not match name in Binding object"));
    }
    List<FieldError> errors = PodBinding.validate(binding);
    if (!errors.isEmpty()) {
      return Replies.error(Replies.invalid("", "Binding", r.name(), errors));
    }
    return bind(r, binding, 1);
  }

  private CompletionStage<HttpResponse> bind(PodRequest r, ObjectNode binding, int attempt) {
    return client.get(r.pods(), r.namespace(), r.name()).thenCompose(got -> {
      if (got.object() == null) {
        return Replies.error(ApiError.notFound(r.pods(), r.name()));
      }
      PodBinding.Bound bound = PodBinding.bind(Json.parseTrusted(got.object()), binding, Instant.now());
      if (bound.error() != null) {
        return Replies.error(bound.error());
      }
      return client.update(r.pods(), r.namespace(), bound.pod(), false, r.dryRun(), r.user()).thenCompose(result -> {
        if (result instanceof ResourceEntity.Rejected rej && rej.error().code() == 409 && attempt < 3) {
          return bind(r, binding, attempt + 1);
        }
        if (!(result instanceof ResourceEntity.Written w)) {
          return Replies.done(result instanceof ResourceEntity.Rejected rej ? Statuses.response(rej.error())
              : Statuses.response(ApiError.unavailable("the binding could not be written; retry")));
        }
        if (r.dryRun()) {
          return Replies.done(created());
        }
        ObjectNode withStatus = Json.parseTrusted(w.object());
        withStatus.set("status", bound.pod().get("status"));
        return client.update(r.pods(), r.namespace(), withStatus, true, false, r.user()).thenApply(s -> created());
      });
    });
  }

  private static HttpResponse created() {
    return Replies.json(StatusCodes.CREATED, Statuses.success(201));
  }
}
