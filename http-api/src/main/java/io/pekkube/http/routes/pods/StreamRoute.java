package io.pekkube.http.routes.pods;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.pekkube.actors.api.ApiError;
import io.pekkube.actors.api.Json;
import io.pekkube.actors.gateway.ApiClient;
import io.pekkube.http.errors.Statuses;
import io.pekkube.http.routes.Replies;
import io.pekkube.http.routes.pods.ContainerStreams.Transport;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletionStage;
import org.apache.pekko.NotUsed;
import org.apache.pekko.http.javadsl.model.HttpResponse;
import org.apache.pekko.http.javadsl.model.ws.BinaryMessage;
import org.apache.pekko.http.javadsl.model.ws.Message;
import org.apache.pekko.http.javadsl.model.ws.WebSocketUpgrade;
import org.apache.pekko.stream.javadsl.Flow;
import org.apache.pekko.stream.javadsl.Sink;
import org.apache.pekko.stream.javadsl.Source;
import org.apache.pekko.util.ByteString;

/**
 * {@code pods/{name}/exec} and {@code attach}, relayed to the kubelet of the pod's node. A WebSocket
 * client (kubectl 1.30+) speaks the channel subprotocols {@code v5.channel.k8s.io} or
 * {@code v4.channel.k8s.io}; a client that upgrades its connection to SPDY/3.1 (kubectl up to 1.29)
 * speaks {@code v4.channel.k8s.io} in SPDY streams, and its connection goes to the kubelet unchanged.
 * Checks that need no kubelet answer before any upgrade, as the Kubernetes API server answers them;
 * the kubelet's refusal (no such running container) reaches a WebSocket client after the upgrade as a
 * Status on the error channel, and a SPDY client instead of the upgrade.
 */
public final class StreamRoute {
  /** The subprotocols whose error channel carries a Status, in order of preference. */
  static final List<String> PROTOCOLS = List.of("v5.channel.k8s.io", "v4.channel.k8s.io");
  /** The stream protocol served over SPDY/3.1 (kubectl up to 1.29 offers it first). */
  static final String SPDY_PROTOCOL = "v4.channel.k8s.io";
  static final byte ERROR_CHANNEL = 3;

  private final ApiClient client;
  private final ContainerStreams streams;

  public StreamRoute(ApiClient client, ContainerStreams streams) {
    this.client = client;
    this.streams = streams;
  }

  public CompletionStage<HttpResponse> handle(String subresource, PodRequest r) {
    if (!r.method().equals("GET") && !r.method().equals("POST")) {
      return Replies.error(ApiError.methodNotAllowed(r.method() + " is not supported on pods/" + subresource));
    }
    return client.get(r.pods(), r.namespace(), r.name()).thenCompose(got -> {
      if (got.object() == null) {
        return Replies.error(ApiError.notFound(r.pods(), r.name()));
      }
      ObjectNode pod = Json.parseTrusted(got.object());
      PodContainers.Choice choice = PodContainers.forStreams(pod, r.query().get("container").orElse(""));
      if (choice.error() != null) {
        return Replies.error(choice.error());
      }
      if (pod.path("spec").path("nodeName").asText("").isEmpty()) {
        return Replies.error(ApiError.badRequest("pod " + r.name() + " does not have a host assigned"));
      }
      if (r.webSocket().isPresent()) {
        Optional<String> protocol = protocol(r.webSocket().get());
        if (protocol.isEmpty()) {
          return Replies.error(ApiError.badRequest("none of the offered WebSocket subprotocols is supported; use one of "
              + String.join(", ", PROTOCOLS)));
        }
        return streams.open(subresource, pod, choice.container(), r.query()::getAll, Transport.CHANNEL_FRAMES)
            .thenApply(session -> r.webSocket().get().handleMessagesWith(frames(session), protocol.get()));
      }
      if (r.spdyUpgrade().isPresent()) {
        SpdyUpgrade spdy = r.spdyUpgrade().get();
        if (!spdy.protocols().contains(SPDY_PROTOCOL)) {
          return Replies.error(ApiError.of(403, "Forbidden", "unable to upgrade: unable to negotiate protocol: "
              + "client supports " + spdy.protocols() + ", server accepts [" + SPDY_PROTOCOL + "]"));
        }
        return streams.open(subresource, pod, choice.container(), r.query()::getAll, Transport.SPDY)
            .thenApply(session -> session.refusal() != null ? Statuses.response(session.refusal())
                : spdy.accept(SPDY_PROTOCOL, session.frames()));
      }
      // Kubernetes finds the node's kubelet before it looks at the upgrade.
      return streams.locate(pod).thenCompose(error -> Replies.error(error != null ? error
          : ApiError.badRequest("Upgrade request required")));
    });
  }

  /** The session's frames in binary messages, one each; a refusal is a Status on the error channel, then the end. */
  private static Flow<Message, Message, NotUsed> frames(ContainerStreams.Session session) {
    if (session.refusal() != null) {
      return Flow.fromSinkAndSourceCoupled(Sink.<Message>ignore(), Source.single(errorFrame(session.refusal())));
    }
    return Flow.<Message>create()
        .flatMapConcat(BinaryMessages::frame)
        .via(session.frames())
        .map(bytes -> (Message) BinaryMessage.create(bytes));
  }

  static Optional<String> protocol(WebSocketUpgrade upgrade) {
    List<String> offered = new java.util.ArrayList<>();
    upgrade.getRequestedProtocols().forEach(offered::add);
    return PROTOCOLS.stream().filter(offered::contains).findFirst();
  }

  /** The error channel frame: channel byte 3, then the Status as JSON. */
  static Message errorFrame(ApiError error) {
    ByteString status = ByteString.fromString(Json.write(Statuses.status(error)));
    return BinaryMessage.create(ByteString.fromArray(new byte[] {ERROR_CHANNEL}).concat(status));
  }
}
