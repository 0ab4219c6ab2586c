package io.pekkube.http.routes;

import com.fasterxml.jackson.databind.JsonNode;
import io.pekkube.actors.api.ApiError;
import io.pekkube.actors.api.Json;
import io.pekkube.actors.api.validation.FieldError;
import io.pekkube.http.errors.Statuses;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.apache.pekko.http.javadsl.model.ContentTypes;
import org.apache.pekko.http.javadsl.model.HttpEntities;
import org.apache.pekko.http.javadsl.model.HttpResponse;
import org.apache.pekko.http.javadsl.model.StatusCode;

/** Small builders of the answers the subresource routes give. */
public final class Replies {

  private Replies() {}

  public static HttpResponse json(StatusCode status, JsonNode body) {
    return HttpResponse.create().withStatus(status)
        .withEntity(HttpEntities.create(ContentTypes.APPLICATION_JSON, Json.write(body)));
  }

  public static CompletionStage<HttpResponse> error(ApiError error) {
    return CompletableFuture.completedFuture(Statuses.response(error));
  }

  public static <T> CompletionStage<T> done(T value) {
    return CompletableFuture.completedFuture(value);
  }

  /**
   * {@code errors.NewInvalid} for a kind that is not a stored resource type (Scale, Binding,
   * PodLogOptions, DeleteOptions): {@code Kind.group "name" is invalid: field: ...}.
   */
  public static ApiError invalid(String group, String kind, String name, List<FieldError> errors) {
    String qualified = group.isEmpty() ? kind : kind + "." + group;
    List<ApiError.Cause> causes = errors.stream()
        .map(e -> new ApiError.Cause(e.reason().causeType(), e.errorBody(), e.field())).toList();
    return new ApiError(422, "Invalid", qualified + " \"" + name + "\" is invalid: " + FieldError.aggregate(errors),
        new ApiError.Details(name, group, kind, causes), null);
  }

  public static ApiError notFoundResource() {
    return ApiError.of(404, "NotFound", "the server could not find the requested resource");
  }
}
