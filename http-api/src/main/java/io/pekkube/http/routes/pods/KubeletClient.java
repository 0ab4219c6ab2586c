package io.pekkube.http.routes.pods;

import com.fasterxml.jackson.databind.JsonNode;
import io.pekkube.actors.api.ApiError;
import io.pekkube.actors.api.BuiltinTypes;
import io.pekkube.actors.api.Json;
import io.pekkube.actors.gateway.ApiClient;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Function;
import org.apache.pekko.NotUsed;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.http.javadsl.Http;
import org.apache.pekko.http.javadsl.model.HttpRequest;
import org.apache.pekko.http.javadsl.model.HttpResponse;
import org.apache.pekko.http.javadsl.model.ws.BinaryMessage;
import org.apache.pekko.http.javadsl.model.ws.Message;
import org.apache.pekko.http.javadsl.model.ws.WebSocketRequest;
import org.apache.pekko.http.javadsl.model.ws.WebSocketUpgradeResponse;
import org.apache.pekko.http.javadsl.settings.ClientConnectionSettings;
import org.apache.pekko.japi.Pair;
import org.apache.pekko.stream.javadsl.Flow;
import org.apache.pekko.stream.javadsl.Keep;
import org.apache.pekko.stream.javadsl.Sink;
import org.apache.pekko.stream.javadsl.Source;
import org.apache.pekko.util.ByteString;

/**
 * Logs, exec and port forwarding of a pod through the kubelet of the pod's node, as the Kubernetes API
 * server reaches kubelets: the node's {@code InternalIP} and {@code status.daemonEndpoints.kubeletEndpoint.Port},
 * then the kubelet's {@code /containerLogs}, {@code /exec} and {@code /portForward} (see docs/adr/0004). A container that
 * never started is answered from the pod's status without asking the kubelet, with Kubernetes' messages.
 * Exec and attach relay the client's channel frames to the kubelet's WebSocket and back, so the
 * command's output reaches the client as it comes and its outcome arrives as a Status on the error channel.
 */
public final class KubeletClient implements PodLogSource, ContainerStreams, PodPortForwarding {
  private static final long MAX_ERROR_BODY = 64 * 1024;

  private final ActorSystem<?> system;
  private final ApiClient client;

  public KubeletClient(ActorSystem<?> system, ApiClient client) {
    this.system = system;
    this.client = client;
  }

  @Override
  public CompletionStage<Opened> open(JsonNode pod, String container, LogOptions options) {
    if (!everStarted(pod, container)) {
      return CompletableFuture.completedFuture(new Opened(null, NoKubeletLogs.refusal(pod, container,
          options.previous())));
    }
    StringBuilder query = new StringBuilder();
    param(query, "follow", options.follow() ? "true" : null);
    param(query, "previous", options.previous() ? "true" : null);
    param(query, "timestamps", options.timestamps() ? "true" : null);
    param(query, "tailLines", options.tailLines());
    param(query, "limitBytes", options.limitBytes());
    param(query, "sinceSeconds", options.sinceSeconds());
    param(query, "sinceTime", options.sinceTime());
    return call(pod, "GET", "/containerLogs/", container, query.toString()).thenCompose(reply -> {
      if (reply.error() != null) {
        return CompletableFuture.completedFuture(new Opened(null, reply.error()));
      }
      if (reply.response().status().intValue() == 200) {
        Source<ByteString, NotUsed> log = reply.response().entity().getDataBytes()
            .mapMaterializedValue(m -> NotUsed.getInstance());
        return CompletableFuture.completedFuture(new Opened(log, null));
      }
      return refusal(reply.response()).thenApply(error -> new Opened(null, error));
    });
  }

  /**
   * Opens the kubelet's stream session ({@code /exec} or {@code /attach}): a WebSocket whose binary
   * messages are channel frames of {@code v5.channel.k8s.io}, one frame each, relayed unchanged both ways
   * (a v4 client is served the same frames: it never sends the close signal, the only difference); for a
   * SPDY client, the WebSocket tunnels its connection ({@code transport=spdy}).
   */
  @Override
  public CompletionStage<Session> open(String subresource, JsonNode pod, String container,
      Function<String, List<String>> query, Transport transport) {
    StringBuilder params = new StringBuilder();
    if (subresource.equals("exec")) {
      query.apply("command").forEach(c -> param(params, "command", c));
    }
    // The kubelet's names for the streams, as the API server asks it.
    param(params, "input", flag(query, "stdin"));
    param(params, "output", flag(query, "stdout"));
    param(params, "error", flag(query, "stderr"));
    param(params, "tty", flag(query, "tty"));
    // A SPDY client's connection goes to the kubelet unchanged; the kubelet speaks its protocol.
    param(params, "transport", transport == Transport.SPDY ? "spdy" : null);
    String path = "/" + subresource + "/" + podPath(pod) + "/" + encode(container) + params;
    Function<Message, Source<ByteString, NotUsed>> unpack =
        transport == Transport.SPDY ? BinaryMessages::data : BinaryMessages::frame;
    return webSocket(pod, path, unpack).thenCompose(connected -> {
      if (connected.refused() != null) {
        return refusal(connected.refused()).thenApply(error -> new Session(null, error));
      }
      return CompletableFuture.completedFuture(new Session(connected.flow(), connected.error()));
    });
  }

  /** A query flag as Kubernetes reads one ({@code 1}, {@code true}); null when absent or false. */
  private static String flag(Function<String, List<String>> query, String name) {
    List<String> values = query.apply(name);
    return !values.isEmpty() && (values.get(0).equals("1") || values.get(0).equalsIgnoreCase("true")) ? "1" : null;
  }

  @Override
  public CompletionStage<ApiError> locate(JsonNode pod) {
    return endpoint(pod).thenApply(Endpoint::error);
  }

  private record Reply(HttpResponse response, ApiError error) {}

  /** Finds the node's kubelet and sends it the request. */
  private CompletionStage<Reply> call(JsonNode pod, String method, String prefix, String container, String query) {
    return endpoint(pod).thenCompose(kubelet -> {
      if (kubelet.error() != null) {
        return CompletableFuture.completedFuture(new Reply(null, kubelet.error()));
      }
      String uri = "http://" + kubelet.authority() + prefix + podPath(pod) + "/" + encode(container) + query;
      HttpRequest request = method.equals("POST") ? HttpRequest.POST(uri) : HttpRequest.GET(uri);
      return Http.get(system).singleRequest(request)
          .thenApply(response -> new Reply(response, null))
          .exceptionally(e -> new Reply(null, dialError(e)));
    });
  }

  /**
   * Opens the kubelet's port-forward tunnel (a WebSocket carrying the SPDY connection as binary
   * messages, with no subprotocol named: the path says what it carries); the client is
   * answered only once the kubelet has accepted, so a refusal reaches it as a Status.
   */
  @Override
  public CompletionStage<Tunnel> open(JsonNode pod) {
    return webSocket(pod, "/portForward/" + podPath(pod), BinaryMessages::data).thenApply(connected -> {
      if (connected.refused() != null) {
        int code = connected.refused().status().intValue();
        connected.refused().discardEntityBytes(system);
        return new Tunnel(null, ApiError.of(code, code == 404 ? "NotFound" : code < 500 ? "BadRequest" : "InternalError",
            "error upgrading connection: the kubelet of node " + pod.path("spec").path("nodeName").asText()
                + " answered " + code + " to the port forward of pod " + pod.path("metadata").path("name").asText()));
      }
      return new Tunnel(connected.flow(), connected.error());
    });
  }

  /** A WebSocket to the kubelet: its flow once upgraded, else the kubelet's refusing answer or why it could not be reached. */
  private record Connected(Flow<ByteString, ByteString, NotUsed> flow, HttpResponse refused, ApiError error) {}

  /**
   * Opens a WebSocket to {@code path} on the kubelet of the pod's node; {@code unpack} reads the bytes
   * of each message it sends (what one message means is the path's protocol's business).
   */
  private CompletionStage<Connected> webSocket(JsonNode pod, String path,
      Function<Message, Source<ByteString, NotUsed>> unpack) {
    return endpoint(pod).thenCompose(kubelet -> {
      if (kubelet.error() != null) {
        return CompletableFuture.completedFuture(new Connected(null, null, kubelet.error()));
      }
      WebSocketRequest request = WebSocketRequest.create("ws://" + kubelet.authority() + path);
      // A session may idle for long (an idle shell, a quiet forward); the WebSocket's keep-alive shows it is alive.
      ClientConnectionSettings settings = ClientConnectionSettings.create(system.classicSystem())
          .withIdleTimeout(scala.concurrent.duration.Duration.Inf());
      Flow<ByteString, ByteString, CompletionStage<WebSocketUpgradeResponse>> bytes = Flow.<ByteString>create()
          .map(b -> (Message) BinaryMessage.create(b))
          .viaMat(Http.get(system).webSocketClientFlow(request, Http.get(system).defaultClientHttpsContext(),
              Optional.empty(), settings, system.classicSystem().log()), Keep.right())
          .flatMapConcat(unpack::apply);
      Pair<CompletionStage<WebSocketUpgradeResponse>, Flow<ByteString, ByteString, NotUsed>> connected =
          bytes.preMaterialize(system);
      return connected.first().handle((upgrade, failure) -> {
        if (failure == null && upgrade.isValid()) {
          return new Connected(connected.second(), null, null);
        }
        Source.<ByteString>empty().via(connected.second()).runWith(Sink.ignore(), system);
        if (failure != null) {
          return new Connected(null, null, dialError(failure));
        }
        return new Connected(null, upgrade.response(), null);
      });
    });
  }

  /** Where the kubelet of the pod's node listens, as the node reports it. */
  private record Endpoint(String authority, ApiError error) {}

  private CompletionStage<Endpoint> endpoint(JsonNode pod) {
    String nodeName = pod.path("spec").path("nodeName").asText();
    return client.get(BuiltinTypes.NODE, "", nodeName).thenApply(got -> {
      if (got.object() == null) {
        return new Endpoint(null, ApiError.of(404, "NotFound", "nodes \"" + nodeName + "\" not found"));
      }
      JsonNode node = Json.parseTrusted(got.object());
      String address = "";
      for (JsonNode a : node.path("status").path("addresses")) {
        if (a.path("type").asText().equals("InternalIP")) {
          address = a.path("address").asText();
        }
      }
      int port = node.path("status").path("daemonEndpoints").path("kubeletEndpoint").path("Port").asInt(0);
      if (address.isEmpty() || port == 0) {
        return new Endpoint(null, ApiError.badRequest("no kubelet endpoint is known for node " + nodeName));
      }
      return new Endpoint((address.contains(":") ? "[" + address + "]" : address) + ":" + port, null);
    });
  }

  private static String podPath(JsonNode pod) {
    return encode(pod.path("metadata").path("namespace").asText()) + "/"
        + encode(pod.path("metadata").path("name").asText());
  }

  private static ApiError dialError(Throwable e) {
    return ApiError.of(500, "InternalError", "error dialing backend: "
        + (e.getCause() != null ? e.getCause().getMessage() : e.getMessage()));
  }

  private CompletionStage<ApiError> refusal(HttpResponse response) {
    int code = response.status().intValue();
    return response.entity().withSizeLimit(MAX_ERROR_BODY).toStrict(10_000, system).thenApply(strict -> {
      String body = strict.getData().utf8String();
      try {
        JsonNode status = Json.parseTrusted(body);
        return ApiError.of(code, status.path("reason").asText("InternalError"), status.path("message").asText(body));
      } catch (RuntimeException e) {
        return ApiError.of(code, code == 404 ? "NotFound" : "BadRequest", body);
      }
    });
  }

  /** Whether the pod's status shows a run of the container (else there is no log to ask for). */
  private static boolean everStarted(JsonNode pod, String container) {
    for (String list : new String[] {"containerStatuses", "initContainerStatuses"}) {
      for (JsonNode s : pod.path("status").path(list)) {
        if (container.equals(s.path("name").asText()) && !s.path("containerID").asText("").isEmpty()) {
          return true;
        }
      }
    }
    return false;
  }

  private static void param(StringBuilder query, String name, Object value) {
    if (value == null) {
      return;
    }
    query.append(query.length() == 0 ? '?' : '&').append(name).append('=').append(encode(value.toString()));
  }

  private static String encode(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
  }
}
