package io.pekkube.http.routes.pods;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.pekkube.actors.api.ApiError;
import io.pekkube.actors.api.Json;
import io.pekkube.actors.gateway.ApiClient;
import io.pekkube.http.errors.Statuses;
import io.pekkube.http.routes.Replies;
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
 * {@code pods/{name}/exec} and {@code attach}. Streams are served over
 * WebSocket only, with the channel subprotocols {@code v5.channel.k8s.io} and {@code v4.channel.k8s.io}
 * (kubectl 1.30+ tries WebSocket first). Checks that need no kubelet answer before the upgrade, as
 * the Kubernetes API server answers them (so a client that would fall back to SPDY sees the same
 * error); a container with no session is answered after the upgrade with a Status on the error
 * channel, and the connection closes. A request that is not a WebSocket upgrade (SPDY/3.1, the only
 * transport of kubectl up to 1.29) gets the same error as a plain Status.
 */
public final class StreamRoute {
  /** The subprotocols whose error channel carries a Status, in order of preference. */
  static final List<String> PROTOCOLS = List.of("v5.channel.k8s.io", "v4.channel.k8s.io");
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
      return streams.open(subresource, pod, choice.container(), r.query()::getAll)
          .thenApply(session -> answer(r.webSocket(), session));
    });
  }

  private static HttpResponse answer(Optional<WebSocketUpgrade> webSocket, ContainerStreams.Session session) {
    Optional<String> protocol = webSocket.flatMap(StreamRoute::protocol);
    if (webSocket.isEmpty() || protocol.isEmpty()) {
      if (session.refusal() != null) {
        return Statuses.response(session.refusal());
      }
      return Statuses.response(ApiError.badRequest(webSocket.isEmpty()
          ? "this server streams over WebSocket only (subprotocols " + String.join(", ", PROTOCOLS)
              + "); SPDY/3.1 upgrades are not supported"
          : "none of the offered WebSocket subprotocols is supported; use one of " + String.join(", ", PROTOCOLS)));
    }
    Flow<Message, Message, NotUsed> flow;
    if (session.refusal() != null) {
      flow = Flow.fromSinkAndSourceCoupled(Sink.<Message>ignore(), Source.single(errorFrame(session.refusal())));
    } else {
      flow = Flow.<Message>create()
          .flatMapConcat(m -> m.isText() ? Source.<ByteString>empty()
              : m.asBinaryMessage().getStreamedData().fold(ByteString.emptyByteString(), ByteString::concat)
                  .mapMaterializedValue(ignored -> NotUsed.getInstance()))
          .via(session.frames())
          .map(bytes -> (Message) BinaryMessage.create(bytes));
    }
    return webSocket.get().handleMessagesWith(flow, protocol.get());
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
