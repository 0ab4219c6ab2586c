package io.pekkube.http.routes;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.pekkube.actors.api.ApiError;
import io.pekkube.actors.api.ResourceType;
import io.pekkube.actors.api.ReviewTypes;
import io.pekkube.actors.authz.Authorizer;
import io.pekkube.actors.authz.UserInfo;
import io.pekkube.actors.gateway.ApiClient;
import io.pekkube.http.ApiPath;
import io.pekkube.http.routes.pods.BindingRoute;
import io.pekkube.http.routes.pods.ContainerStreams;
import io.pekkube.http.routes.pods.EvictionRoute;
import io.pekkube.http.routes.pods.LogRoute;
import io.pekkube.http.routes.pods.NoKubeletLogs;
import io.pekkube.http.routes.pods.PodLogSource;
import io.pekkube.http.routes.pods.PodPortForwarding;
import io.pekkube.http.routes.pods.PortForwardRoute;
import io.pekkube.http.routes.pods.PodRequest;
import io.pekkube.http.routes.pods.StreamRoute;
import io.pekkube.http.routes.reviews.AccessReviews;
import io.pekkube.http.routes.reviews.IdentityReviews;
import io.pekkube.http.routes.scale.ScalePatch;
import io.pekkube.http.routes.scale.ScaleSubresource;
import java.util.Optional;
import java.util.concurrent.CompletionStage;
import org.apache.pekko.http.javadsl.model.HttpResponse;
import org.apache.pekko.http.javadsl.model.StatusCodes;

/**
 * Dispatches the requests {@link ResourceHandler} does not serve itself: the subresources other than
 * status (scale, pods' binding, eviction, log, exec, attach, portforward) and the create-only review
 * types. The pluggable parts (patch of a scale, the kubelet's logs and streams, the authorizer) come
 * in through {@link Plugs}.
 */
public final class Subresources {
  private final ScaleSubresource scale;
  private final BindingRoute binding;
  private final EvictionRoute eviction;
  private final LogRoute log;
  private final StreamRoute streams;
  private final PortForwardRoute portForward;
  private final AccessReviews accessReviews;

  /** What later parts of the system provide; {@link #defaults()} is what exists today. */
  public record Plugs(ScalePatch scalePatch, PodLogSource logs, ContainerStreams containerStreams,
      PodPortForwarding portForwarding, Authorizer authorizer) {
    public static Plugs defaults() {
      return new Plugs(io.pekkube.http.patch.ScalePatches.PATCHES, new NoKubeletLogs(), ContainerStreams.NO_KUBELET,
          PodPortForwarding.NO_KUBELET, Authorizer.ALLOW_ALL);
    }
  }

  private final ObjectBodies bodies;

  public Subresources(ApiClient client, Plugs plugs, ObjectBodies bodies) {
    this.bodies = bodies;
    this.scale = new ScaleSubresource(client, plugs.scalePatch());
    this.binding = new BindingRoute(client);
    this.eviction = new EvictionRoute(client);
    this.log = new LogRoute(client, plugs.logs());
    this.streams = new StreamRoute(client, plugs.containerStreams());
    this.portForward = new PortForwardRoute(client, plugs.portForwarding());
    this.accessReviews = new AccessReviews(plugs.authorizer());
  }

  /** The answer when this class serves the request, empty when ResourceHandler goes on. */
  public Optional<CompletionStage<HttpResponse>> handle(ResourceHandler.Call call, ResourceType type, String ns,
      boolean dryRun) {
    ApiPath p = call.path();
    if (ReviewTypes.isReview(type)) {
      return Optional.of(review(call, type, ns));
    }
    if (p.subresource().isEmpty() || p.isCollection() || !type.hasSubresource(p.subresource())) {
      return Optional.empty();
    }
    if (p.subresource().equals(ScaleSubresource.NAME)) {
      return Optional.of(scale.handle(new ScaleSubresource.Request(call.method(), type, ns, p.name(),
          call.mediaType(), call.body(), dryRun, call.user())));
    }
    if (!type.kind().equals("Pod") || !type.group().isEmpty()) {
      return Optional.empty();
    }
    PodRequest r = new PodRequest(call.method(), type, ns, p.name(), call.query(), call.mediaType(), call.body(),
        call.webSocket(), call.spdyUpgrade(), dryRun, call.user());
    return switch (p.subresource()) {
      case "binding" -> Optional.of(binding.handle(r));
      case "eviction" -> Optional.of(eviction.handle(r));
      case "log" -> Optional.of(log.handle(r));
      case "exec", "attach" -> Optional.of(streams.handle(p.subresource(), r));
      case "portforward" -> Optional.of(portForward.handle(r));
      default -> Optional.empty();
    };
  }

  private CompletionStage<HttpResponse> review(ResourceHandler.Call call, ResourceType type, String ns) {
    ApiPath p = call.path();
    if (!call.method().equals("POST") || !p.isCollection() || !p.subresource().isEmpty()) {
      return Replies.error(ApiError.methodNotAllowed("the server does not allow this method on the requested "
          + "resource: " + type.resourceKey() + " can only be created"));
    }
    if (type.namespaced() && ns.isEmpty()) {
      return Replies.error(Replies.notFoundResource());
    }
    // kubectl 1.28+ posts its reviews as protobuf.
    Bodies.Decoded d = bodies.decode(call.mediaType(), call.body());
    if (d.error() != null) {
      return Replies.error(d.error());
    }
    ObjectNode body = d.object();
    String apiVersion = body.path("apiVersion").asText("");
    String kind = body.path("kind").asText("");
    if (!apiVersion.isEmpty() && !apiVersion.equals(type.apiVersion()) || !kind.isEmpty() && !kind.equals(type.kind())) {
      return Replies.error(ApiError.badRequest("the API version in the data (" + apiVersion + ") and kind (" + kind
          + ") do not match the request's " + type.apiVersion() + " " + type.kind()));
    }
    UserInfo requester = UserInfo.of(call.user());
    AccessReviews.Answer answer = type.group().equals(ReviewTypes.AUTHENTICATION)
        ? IdentityReviews.review(type.kind(), body, requester)
        : accessReviews.review(type.kind(), ns, body, requester);
    return answer.error() != null ? Replies.error(answer.error())
        : Replies.done(Replies.json(StatusCodes.CREATED, answer.review()));
  }
}
