package io.pekkube.http.routes.pods;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.pekkube.actors.api.ApiError;
import io.pekkube.actors.api.Json;
import io.pekkube.actors.api.validation.FieldError;
import io.pekkube.actors.gateway.ApiClient;
import io.pekkube.http.errors.Statuses;
import io.pekkube.http.routes.Replies;
import java.util.List;
import java.util.concurrent.CompletionStage;
import org.apache.pekko.http.javadsl.model.ContentTypes;
import org.apache.pekko.http.javadsl.model.HttpEntities;
import org.apache.pekko.http.javadsl.model.HttpResponse;
import org.apache.pekko.http.javadsl.model.StatusCodes;

/**
 * GET {@code pods/{name}/log}: checks the options and the container as the Kubernetes pod log
 * registry does, answers an empty log for a pod not yet bound to a node (as Kubernetes does), and
 * otherwise asks the {@link PodLogSource} of the pod's node.
 */
public final class LogRoute {
  private final ApiClient client;
  private final PodLogSource logs;

  public LogRoute(ApiClient client, PodLogSource logs) {
    this.client = client;
    this.logs = logs;
  }

  public CompletionStage<HttpResponse> handle(PodRequest r) {
    if (!r.method().equals("GET")) {
      return Replies.error(ApiError.methodNotAllowed(r.method() + " is not supported on pods/log"));
    }
    LogOptions options;
    try {
      options = LogOptions.parse(r.query()::get);
    } catch (IllegalArgumentException e) {
      return Replies.error(ApiError.badRequest(e.getMessage()));
    }
    List<FieldError> errors = options.validate();
    if (!errors.isEmpty()) {
      return Replies.error(Replies.invalid("", "PodLogOptions", r.name(), errors));
    }
    return client.get(r.pods(), r.namespace(), r.name()).thenCompose(got -> {
      if (got.object() == null) {
        return Replies.error(ApiError.notFound(r.pods(), r.name()));
      }
      ObjectNode pod = Json.parseTrusted(got.object());
      PodContainers.Choice choice = PodContainers.forLogs(pod, options.container());
      if (choice.error() != null) {
        return Replies.error(choice.error());
      }
      if (pod.path("spec").path("nodeName").asText("").isEmpty()) {
        return Replies.done(HttpResponse.create().withStatus(StatusCodes.OK)
            .withEntity(HttpEntities.create(ContentTypes.TEXT_PLAIN_UTF8, "")));
      }
      return logs.open(pod, choice.container(), options).thenApply(opened -> opened.refusal() != null
          ? Statuses.response(opened.refusal())
          : HttpResponse.create().withStatus(StatusCodes.OK)
              .withEntity(HttpEntities.createChunked(ContentTypes.TEXT_PLAIN_UTF8, opened.log())));
    });
  }
}
