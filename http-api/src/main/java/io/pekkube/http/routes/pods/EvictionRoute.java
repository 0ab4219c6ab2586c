package io.pekkube.http.routes.pods;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.pekkube.actors.api.ApiError;
import io.pekkube.actors.api.BuiltinTypes;
import io.pekkube.actors.api.Json;
import io.pekkube.actors.gateway.ApiClient;
import io.pekkube.actors.resources.ObjectFilter;
import io.pekkube.actors.resources.ResourceEntity;
import io.pekkube.actors.resources.ResourceHub;
import io.pekkube.http.errors.Statuses;
import io.pekkube.http.routes.Bodies;
import io.pekkube.http.routes.Replies;
import io.pekkube.http.routes.deletion.DeleteOptions;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletionStage;
import org.apache.pekko.http.javadsl.model.HttpResponse;
import org.apache.pekko.http.javadsl.model.StatusCodes;

/**
 * POST {@code pods/{name}/eviction} (policy/v1 Eviction): deletes the pod with the eviction's
 * DeleteOptions unless a PodDisruptionBudget forbids it (429). The budget's disruption is consumed
 * with its resourceVersion as precondition, so two concurrent evictions cannot both use the last one.
 */
public final class EvictionRoute {
  private static final int ATTEMPTS = 5;
  private final ApiClient client;

  public EvictionRoute(ApiClient client) {
    this.client = client;
  }

  public CompletionStage<HttpResponse> handle(PodRequest r) {
    if (!r.method().equals("POST")) {
      return Replies.error(ApiError.methodNotAllowed(r.method() + " is not supported on pods/eviction"));
    }
    Bodies.Decoded d = Bodies.decode(r.mediaType(), r.body());
    if (d.error() != null) {
      return Replies.error(d.error());
    }
    ObjectNode eviction = d.object();
    String apiVersion = eviction.path("apiVersion").asText("");
    String kind = eviction.path("kind").asText("");
    if (!kind.isEmpty() && !kind.equals("Eviction")
        || !apiVersion.isEmpty() && !apiVersion.equals("policy/v1") && !apiVersion.equals("policy/v1beta1")) {
      return Replies.error(ApiError.badRequest("the body must be a policy/v1 Eviction, not " + apiVersion + " " + kind));
    }
    if (!Json.meta(eviction, "name").equals(r.name())) {
      return Replies.error(ApiError.badRequest("name in URL does not match name in Eviction object"));
    }
    DeleteOptions options = DeleteOptions.of(eviction.get("deleteOptions"));
    if (options.error() != null) {
      return Replies.error(options.error());
    }
    return evict(r, options, 1);
  }

  private CompletionStage<HttpResponse> evict(PodRequest r, DeleteOptions options, int attempt) {
    boolean dryRun = r.dryRun() || options.dryRun();
    return client.get(r.pods(), r.namespace(), r.name()).thenCompose(got -> {
      if (got.object() == null) {
        return Replies.error(ApiError.notFound(r.pods(), r.name()));
      }
      ObjectNode pod = Json.parseTrusted(got.object());
      if (PodEviction.ignoresBudgets(pod)) {
        return deletePod(r, options, dryRun);
      }
      return client.list(BuiltinTypes.POD_DISRUPTION_BUDGET,
          new ObjectFilter(BuiltinTypes.POD_DISRUPTION_BUDGET.kind(), r.namespace(), "", ""), "", false, 0, "")
          .thenCompose(listed -> {
            if (listed instanceof ResourceHub.ListFailed f) {
              return Replies.error(f.error());
            }
            List<JsonNode> all = new ArrayList<>();
            ((ResourceHub.Listed) listed).items().forEach(i -> all.add(Json.parseTrusted(i)));
            List<JsonNode> budgets = PodEviction.budgetsFor(pod, all);
            if (budgets.isEmpty()) {
              return deletePod(r, options, dryRun);
            }
            if (budgets.size() > 1) {
              return Replies.error(PodEviction.moreThanOneBudget());
            }
            ApiError refusal = PodEviction.refusal(budgets.get(0));
            if (refusal != null) {
              return Replies.error(refusal);
            }
            if (dryRun) {
              return deletePod(r, options, true);
            }
            ObjectNode consumed = PodEviction.consume((ObjectNode) budgets.get(0), r.name(), Instant.now());
            return client.update(BuiltinTypes.POD_DISRUPTION_BUDGET, r.namespace(), consumed, true, false, r.user())
                .thenCompose(result -> {
                  if (result instanceof ResourceEntity.Rejected rej && rej.error().code() == 409 && attempt < ATTEMPTS) {
                    return evict(r, options, attempt + 1);
                  }
                  if (result instanceof ResourceEntity.Rejected rej) {
                    return Replies.error(rej.error());
                  }
                  return deletePod(r, options, false);
                });
          });
    });
  }

  private CompletionStage<HttpResponse> deletePod(PodRequest r, DeleteOptions options, boolean dryRun) {
    return client.delete(r.pods(), r.namespace(), r.name(),
        new ApiClient.Preconditions(options.uid(), options.resourceVersion()), "", options.gracePeriodSeconds(), dryRun,
        r.user()).thenApply(result -> result instanceof ResourceEntity.Rejected rej
            ? Statuses.response(rej.error())
            : Replies.json(StatusCodes.CREATED, Statuses.success(201)));
  }
}
