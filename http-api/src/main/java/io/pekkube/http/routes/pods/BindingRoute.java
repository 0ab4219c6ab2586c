package io.pekkube.http.routes.pods;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.pekkube.actors.api.ApiError;
import io.pekkube.actors.api.Json;
import io.pekkube.actors.api.validation.FieldError;
import io.pekkube.actors.gateway.ApiClient;
import io.pekkube.actors.pods.PodBinder;
import io.pekkube.actors.pods.PodBinding;
import io.pekkube.http.errors.Statuses;
import io.pekkube.http.routes.Bodies;
import io.pekkube.http.routes.Replies;
import java.util.List;
import java.util.concurrent.CompletionStage;
import org.apache.pekko.http.javadsl.model.HttpResponse;
import org.apache.pekko.http.javadsl.model.StatusCodes;

/**
 * POST {@code pods/{name}/binding}: checks the Binding, then binds the pod once through
 * {@link PodBinder}, the write path the scheduler uses too.
 */
public final class BindingRoute {
  private final PodBinder binder;

  public BindingRoute(ApiClient client) {
    this.binder = new PodBinder(client);
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
    return bind(r, binding);
  }

  private CompletionStage<HttpResponse> bind(PodRequest r, ObjectNode binding) {
    return binder.bind(r.namespace(), r.name(), binding, r.dryRun(), r.user())
        .thenApply(outcome -> outcome.bound() ? created() : Statuses.response(outcome.error()));
  }

  private static HttpResponse created() {
    return Replies.json(StatusCodes.CREATED, Statuses.success(201));
  }
}
