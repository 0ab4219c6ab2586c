package io.pekkube.http.routes.pods;

import com.fasterxml.jackson.databind.JsonNode;
import io.pekkube.actors.api.ApiError;
import io.pekkube.actors.api.BuiltinTypes;
import io.pekkube.actors.api.Json;
import io.pekkube.actors.gateway.ApiClient;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
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
 * Exec runs without a TTY or stdin: its output is sent on the stdout and stderr channels, then the
 * outcome as a Status on the error channel.
 */
public final class KubeletClient implements PodLogSource, ContainerStreams, PodPortForwarding {
  private static final byte STDOUT = 1;
  private static final byte STDERR = 2;
  private static final byte ERROR = 3;
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

  @Override
  public CompletionStage<Session> open(String subresource, JsonNode pod, String container,
      Function<String, List<String>> query) {
    if (!subresource.equals("exec")) {
      return CompletableFuture.completedFuture(new Session(null, ApiError.badRequest(
          "the kubelet of this node serves exec only, not " + subresource)));
    }
    List<String> command = query.apply("command");
    StringBuilder params = new StringBuilder();
    command.forEach(c -> param(params, "command", c));
    return call(pod, "POST", "/exec/", container, params.toString()).thenCompose(reply -> {
      if (reply.error() != null) {
        return CompletableFuture.completedFuture(new Session(null, reply.error()));
      }
      if (reply.response().status().intValue() != 200) {
        return refusal(reply.response()).thenApply(error -> new Session(null, error));
      }
      return reply.response().entity().toStrict(60_000, system).thenApply(strict -> {
        JsonNode result = Json.parseTrusted(strict.getData().utf8String());
        List<ByteString> frames = new ArrayList<>();
        frame(frames, STDOUT, result.path("stdout").asText(""));
        frame(frames, STDERR, result.path("stderr").asText(""));
        frames.add(ByteString.fromArray(new byte[] {ERROR})
            .concat(ByteString.fromString(exitStatus(command, result.path("exitCode").asInt()))));
        Flow<ByteString, ByteString, NotUsed> flow = Flow.fromSinkAndSourceCoupled(Sink.ignore(), Source.from(frames));
        return new Session(flow, null);
      });
    });
  }

  /** The Status the error channel carries: Success, or NonZeroExitCode with the code as its cause. */
  static String exitStatus(List<String> command, int exitCode) {
    if (exitCode == 0) {
      return "{\"metadata\":{},\"status\":\"Success\"}";
    }
    var status = Json.object();
    status.putObject("metadata");
    status.put("status", "Failure");
    status.put("message", "command terminated with non-zero exit code: error executing command "
        + command + ", exit code " + exitCode);
    status.put("reason", "NonZeroExitCode");
    status.putObject("details").putArray("causes").addObject().put("reason", "ExitCode")
        .put("message", Integer.toString(exitCode));
    return Json.write(status);
  }

  private static void frame(List<ByteString> frames, byte channel, String text) {
    if (!text.isEmpty()) {
      frames.add(ByteString.fromArray(new byte[] {channel}).concat(ByteString.fromString(text)));
    }
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
    return endpoint(pod).thenCompose(kubelet -> {
      if (kubelet.error() != null) {
        return CompletableFuture.completedFuture(new Tunnel(null, kubelet.error()));
      }
      WebSocketRequest request = WebSocketRequest.create("ws://" + kubelet.authority() + "/portForward/"
          + podPath(pod));
      // A forward may idle for long; SPDY pings and the WebSocket's own keep-alive show it is alive.
      ClientConnectionSettings settings = ClientConnectionSettings.create(system.classicSystem())
          .withIdleTimeout(scala.concurrent.duration.Duration.Inf());
      Flow<ByteString, ByteString, CompletionStage<WebSocketUpgradeResponse>> bytes = Flow.<ByteString>create()
          .map(b -> (Message) BinaryMessage.create(b))
          .viaMat(Http.get(system).webSocketClientFlow(request, Http.get(system).defaultClientHttpsContext(),
              Optional.empty(), settings, system.classicSystem().log()), Keep.right())
          .flatMapConcat(BinaryMessages::data);
      Pair<CompletionStage<WebSocketUpgradeResponse>, Flow<ByteString, ByteString, NotUsed>> connected =
          bytes.preMaterialize(system);
      return connected.first().handle((upgrade, failure) -> {
        if (failure == null && upgrade.isValid()) {
          return new Tunnel(connected.second(), null);
        }
        Source.<ByteString>empty().via(connected.second()).runWith(Sink.ignore(), system);
        if (failure != null) {
          return new Tunnel(null, dialError(failure));
        }
        int code = upgrade.response().status().intValue();
        return new Tunnel(null, ApiError.of(code, code == 404 ? "NotFound" : code < 500 ? "BadRequest" : "InternalError",
            "error upgrading connection: the kubelet of node " + pod.path("spec").path("nodeName").asText()
                + " answered " + code + " to the port forward of pod " + pod.path("metadata").path("name").asText()));
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
