package io.pekkube.http.routes.scale;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.pekkube.actors.api.ApiError;
import io.pekkube.actors.api.Json;
import io.pekkube.actors.api.ResourceType;
import io.pekkube.actors.api.validation.FieldError;
import io.pekkube.actors.gateway.ApiClient;
import io.pekkube.actors.resources.ResourceEntity;
import io.pekkube.http.errors.Statuses;
import io.pekkube.http.routes.Bodies;
import io.pekkube.http.routes.Replies;
import java.util.List;
import java.util.concurrent.CompletionStage;
import java.util.function.Function;
import org.apache.pekko.http.javadsl.model.HttpResponse;
import org.apache.pekko.http.javadsl.model.StatusCodes;

/**
 * {@code /scale} of a replicated type: GET, PUT and PATCH of an {@code autoscaling/v1 Scale} whose
 * spec.replicas is stored into the parent's spec.replicas. A Scale carrying a resourceVersion is
 * written with it as the parent's precondition (409 when stale); one without is applied to the
 * latest parent, retried when another writer got in between.
 */
public final class ScaleSubresource {
  public static final String NAME = "scale";
  private static final int ATTEMPTS = 5;

  private final ApiClient client;
  private final ScalePatch patch;

  public ScaleSubresource(ApiClient client, ScalePatch patch) {
    this.client = client;
    this.patch = patch;
  }

  /** The request as far as this subresource needs it. */
  public record Request(String method, ResourceType type, String namespace, String name, String mediaType,
      byte[] body, boolean dryRun, String user) {}

  public CompletionStage<HttpResponse> handle(Request r) {
    return switch (r.method()) {
      case "GET" -> client.get(r.type(), r.namespace(), r.name()).thenApply(got -> got.object() == null
          ? Statuses.response(ApiError.notFound(r.type(), r.name()))
          : Replies.json(StatusCodes.OK, Scales.of(Json.parseTrusted(got.object()))));
      case "PUT" -> put(r);
      case "PATCH" -> patch(r);
      default -> Replies.error(ApiError.methodNotAllowed(r.method() + " is not supported on the scale subresource"));
    };
  }

  private CompletionStage<HttpResponse> put(Request r) {
    // kubectl's scale client (1.27) sends its JSON Scale as application/octet-stream.
    String mediaType = r.mediaType().equals("application/octet-stream") ? "application/json" : r.mediaType();
    Bodies.Decoded d = Bodies.decode(mediaType, r.body());
    if (d.error() != null) {
      return Replies.error(d.error());
    }
    ObjectNode scale = d.object();
    ApiError wrong = checkKindAndName(scale, r.name());
    if (wrong != null) {
      return Replies.error(wrong);
    }
    return write(r, current -> new ScalePatch.Patched(scale, null), 1);
  }

  private CompletionStage<HttpResponse> patch(Request r) {
    return write(r, current -> patch.apply(current, r.mediaType(), r.body()), 1);
  }

  /** Reads the parent, derives the desired Scale from the current one, and writes the parent. */
  private CompletionStage<HttpResponse> write(Request r, Function<ObjectNode, ScalePatch.Patched> desired,
      int attempt) {
    return client.get(r.type(), r.namespace(), r.name()).thenCompose(got -> {
      if (got.object() == null) {
        return Replies.error(ApiError.notFound(r.type(), r.name()));
      }
      ObjectNode parent = Json.parseTrusted(got.object());
      ScalePatch.Patched wanted = desired.apply(Scales.of(parent));
      if (wanted.error() != null) {
        return Replies.error(wanted.error());
      }
      ObjectNode scale = wanted.scale();
      List<FieldError> errors = Scales.validate(scale);
      if (!errors.isEmpty()) {
        return Replies.error(Replies.invalid(Scales.GROUP, Scales.KIND, r.name(), errors));
      }
      boolean unconditional = Json.meta(scale, "resourceVersion").isEmpty();
      ObjectNode next = Scales.applyTo(parent, scale);
      if (unconditional) {
        Json.metadata(next).put("resourceVersion", Json.meta(parent, "resourceVersion"));
      }
      return client.update(r.type(), r.namespace(), next, false, r.dryRun(), r.user()).thenCompose(result -> {
        if (result instanceof ResourceEntity.Rejected rej && rej.error().code() == 409 && unconditional
            && attempt < ATTEMPTS) {
          return write(r, desired, attempt + 1);
        }
        return Replies.done(answer(result));
      });
    });
  }

  private static HttpResponse answer(ResourceEntity.WriteResult result) {
    if (result instanceof ResourceEntity.Written w) {
      return Replies.json(StatusCodes.OK, Scales.of(Json.parseTrusted(w.object())));
    } else if (result instanceof ResourceEntity.NotChanged n) {
      return Replies.json(StatusCodes.OK, Scales.of(Json.parseTrusted(n.object())));
    } else if (result instanceof ResourceEntity.Rejected rej) {
      return Statuses.response(rej.error());
    }
    return Statuses.response(ApiError.unavailable("the write could not be ordered; retry"));
  }

  private static ApiError checkKindAndName(ObjectNode scale, String name) {
    String apiVersion = scale.path("apiVersion").asText("");
    String kind = scale.path("kind").asText("");
    if (!apiVersion.isEmpty() && !apiVersion.equals(Scales.API_VERSION) || !kind.isEmpty() && !kind.equals(Scales.KIND)) {
      return ApiError.badRequest("the API version in the data (" + apiVersion + ") and kind (" + kind
          + ") do not match the request's " + Scales.API_VERSION + " " + Scales.KIND);
    }
    String bodyName = Json.meta(scale, "name");
    if (!bodyName.equals(name)) {
      return ApiError.badRequest("the name of the object (" + bodyName + ") does not match the name on the URL ("
          + name + ")");
    }
    return null;
  }
}
