package io.pekkube.http.routes.pods;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.pekkube.actors.api.ApiError;
import io.pekkube.actors.api.Json;
import io.pekkube.actors.gateway.ApiClient;
import io.pekkube.http.errors.Statuses;
import io.pekkube.http.routes.Replies;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.apache.pekko.NotUsed;
import org.apache.pekko.http.javadsl.model.HttpResponse;
import org.apache.pekko.http.javadsl.model.ws.BinaryMessage;
import org.apache.pekko.http.javadsl.model.ws.Message;
import org.apache.pekko.http.javadsl.model.ws.WebSocketUpgrade;
import org.apache.pekko.stream.javadsl.Flow;
import org.apache.pekko.util.ByteString;

/**
 * {@code pods/{name}/portforward}: the client's SPDY/3.1 connection ({@code portforward.k8s.io}) is
 * relayed to the kubelet of the pod's node, which opens the pod's ports. The client reaches it either
 * as SPDY tunnelled in WebSocket binary messages (subprotocol {@code SPDY/3.1+portforward.k8s.io},
 * kubectl 1.30+) or by upgrading the HTTP/1.1 connection to SPDY/3.1 (kubectl up to 1.29, and the
 * fallback of later ones). Checks that need no kubelet answer before any upgrade.
 */
public final class PortForwardRoute {
  static final String PROTOCOL = "portforward.k8s.io";
  static final String TUNNEL_PROTOCOL = "SPDY/3.1+" + PROTOCOL;

  private final ApiClient client;
  private final PodPortForwarding kubelets;

  public PortForwardRoute(ApiClient client, PodPortForwarding kubelets) {
    this.client = client;
    this.kubelets = kubelets;
  }

  public CompletionStage<HttpResponse> handle(PodRequest r) {
    if (!r.method().equals("GET") && !r.method().equals("POST")) {
      return Replies.error(ApiError.methodNotAllowed(r.method() + " is not supported on pods/portforward"));
    }
    return client.get(r.pods(), r.namespace(), r.name()).thenCompose(got -> {
      if (got.object() == null) {
        return Replies.error(ApiError.notFound(r.pods(), r.name()));
      }
      ObjectNode pod = Json.parseTrusted(got.object());
      if (pod.path("spec").path("nodeName").asText("").isEmpty()) {
        return Replies.error(ApiError.badRequest("pod " + r.name() + " does not have a host assigned"));
      }
      String phase = pod.path("status").path("phase").asText("Pending");
      if (!phase.equals("Running")) {
        return Replies.error(ApiError.badRequest("unable to forward port because pod is not running. Current status="
            + phase));
      }
      if (r.webSocket().isPresent()) {
        if (!offered(r.webSocket().get()).contains(TUNNEL_PROTOCOL)) {
          return Replies.error(ApiError.badRequest("none of the offered WebSocket subprotocols is supported; use "
              + TUNNEL_PROTOCOL));
        }
        return kubelets.open(pod).thenApply(tunnel -> tunnel.refusal() != null
            ? Statuses.response(tunnel.refusal())
            : r.webSocket().get().handleMessagesWith(messages(tunnel.connection()), TUNNEL_PROTOCOL));
      }
      if (r.spdyUpgrade().isPresent()) {
        SpdyUpgrade spdy = r.spdyUpgrade().get();
        if (!spdy.protocols().contains(PROTOCOL)) {
          return Replies.error(ApiError.of(403, "Forbidden", "unable to upgrade: unable to negotiate protocol: "
              + "client supports " + spdy.protocols() + ", server accepts [" + PROTOCOL + "]"));
        }
        return kubelets.open(pod).thenApply(tunnel -> tunnel.refusal() != null
            ? Statuses.response(tunnel.refusal())
            : spdy.accept(PROTOCOL, tunnel.connection()));
      }
      return CompletableFuture.completedFuture(Statuses.response(ApiError.badRequest("Upgrade request required")));
    });
  }

  /** The tunnel's bytes in binary messages; text messages have no place in it. */
  private static Flow<Message, Message, NotUsed> messages(Flow<ByteString, ByteString, NotUsed> connection) {
    return Flow.<Message>create()
        .flatMapConcat(BinaryMessages::data)
        .via(connection)
        .map(bytes -> (Message) BinaryMessage.create(bytes));
  }

  private static List<String> offered(WebSocketUpgrade upgrade) {
    List<String> offered = new ArrayList<>();
    upgrade.getRequestedProtocols().forEach(offered::add);
    return offered;
  }
}
