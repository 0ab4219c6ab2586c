package io.pekkube.node.kubelet.server;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.typesafe.config.Config;
import io.pekkube.actors.api.Json;
import io.pekkube.node.kubelet.LocalPods;
import io.pekkube.node.kubelet.server.portforward.PortForwardHandler;
import io.pekkube.node.kubelet.server.spdy.SpdySession;
import io.pekkube.node.kubelet.server.remotecommand.ChannelFrames;
import io.pekkube.node.kubelet.server.remotecommand.ExecStatus;
import io.pekkube.node.kubelet.server.remotecommand.SpdyStreams;
import io.pekkube.node.kubelet.server.remotecommand.StreamSession;
import io.pekkube.node.runtime.ContainerRuntime;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.apache.pekko.NotUsed;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.http.javadsl.Http;
import org.apache.pekko.http.javadsl.ServerBinding;
import org.apache.pekko.http.javadsl.model.AttributeKeys;
import org.apache.pekko.http.javadsl.model.ContentTypes;
import org.apache.pekko.http.javadsl.model.HttpEntities;
import org.apache.pekko.http.javadsl.model.HttpMethods;
import org.apache.pekko.http.javadsl.model.HttpRequest;
import org.apache.pekko.http.javadsl.model.HttpResponse;
import org.apache.pekko.http.javadsl.model.Query;
import org.apache.pekko.http.javadsl.model.StatusCodes;
import org.apache.pekko.http.javadsl.model.ws.BinaryMessage;
import org.apache.pekko.http.javadsl.model.ws.Message;
import org.apache.pekko.http.javadsl.model.ws.WebSocketUpgrade;
import org.apache.pekko.http.javadsl.settings.ServerSettings;
import org.apache.pekko.stream.javadsl.Flow;
import org.apache.pekko.stream.javadsl.Source;
import org.apache.pekko.util.ByteString;

/**
 * The kubelet's own HTTP endpoint (Kubernetes serves it on port 10250), which the API server calls for
 * the logs, exec and port forwarding of a pod on this node:
 * <ul>
 *   <li>{@code GET /containerLogs/<namespace>/<pod>/<container>?follow&previous&tailLines&timestamps&sinceSeconds&sinceTime&limitBytes}
 *   answers the log as text (chunked while following);</li>
 *   <li>{@code GET /exec/<namespace>/<pod>/<container>?command=...&command=...&input&output&error&tty}
 *   upgrades to a WebSocket carrying the command's streams as channel frames (see {@link StreamSession});</li>
 *   <li>{@code GET /attach/<namespace>/<pod>/<container>?input&output&error&tty} the same for the container's
 *   own streams (both with {@code transport=spdy}: the WebSocket tunnels the client's SPDY connection);</li>
 *   <li>{@code GET /portForward/<namespace>/<pod>} upgrades to a WebSocket that tunnels the SPDY/3.1
 *   connection of {@code portforward.k8s.io} and forwards each of its connections to a port of the pod
 *   (see {@link PortForwardHandler}).</li>
 * </ul>
 * Refusals are a Kubernetes Status (JSON) with the code the API server passes on. One server serves
 * every kubelet of the JVM (pod names are unique in the cluster).
 */
public final class KubeletServer {
  /** Pods of the process runtime share the host's network. */
  private static final String LOOPBACK = "127.0.0.1";
  /** The {@code transport} of a stream session whose WebSocket tunnels a SPDY connection. */
  public static final String SPDY = "spdy";

  private final ActorSystem<?> system;
  private final LocalPods pods;
  /** Where the streams of exec and attach sessions are read and written (blocking I/O). */
  private final ExecutorService streams = Executors.newCachedThreadPool(runnable -> {
    Thread thread = new Thread(runnable, "kubelet-streams");
    thread.setDaemon(true);
    return thread;
  });

  public KubeletServer(ActorSystem<?> system, LocalPods pods) {
    this.system = system;
    this.pods = pods;
  }

  public CompletionStage<ServerBinding> bind(String host, int port) {
    Config config = system.settings().config();
    ServerSettings settings = ServerSettings.create(
        config.getConfig("pekkube.node.kubelet.http").atPath("pekko.http.server").withFallback(config));
    return Http.get(system).newServerAt(host, port).withSettings(settings).bind(this::handle);
  }

  CompletionStage<HttpResponse> handle(HttpRequest request) {
    String[] path = request.getUri().path().split("/");
    Query query = request.getUri().query();
    if (path.length == 5 && path[1].equals("containerLogs") && request.method().equals(HttpMethods.GET)) {
      return CompletableFuture.completedFuture(logs(decode(path[2]), decode(path[3]), decode(path[4]), query));
    }
    if (path.length == 5 && (path[1].equals("exec") || path[1].equals("attach"))) {
      return CompletableFuture.completedFuture(streams(path[1], decode(path[2]), decode(path[3]), decode(path[4]),
          query, request.getAttribute(AttributeKeys.webSocketUpgrade)));
    }
    if (path.length == 4 && path[1].equals("portForward")) {
      return CompletableFuture.completedFuture(portForward(decode(path[2]), decode(path[3]),
          request.getAttribute(AttributeKeys.webSocketUpgrade)));
    }
    return CompletableFuture.completedFuture(status(404, "NotFound", "the kubelet serves no " + request.getUri().path()));
  }

  private HttpResponse logs(String namespace, String podName, String container, Query query) {
    Optional<LocalPods.Container> found = pods.container(namespace, podName, container);
    String where = "container \"" + container + "\" in pod \"" + podName + "\"";
    if (found.isEmpty()) {
      return status(400, "BadRequest", where + " is waiting to start: ContainerCreating");
    }
    boolean previous = flag(query, "previous");
    LocalPods.Container c = found.get();
    java.nio.file.Path file = previous ? c.previousLogFile() : c.logFile();
    if (file == null) {
      return status(400, "BadRequest", "previous terminated " + where + " not found");
    }
    Instant since = query.get("sinceTime").map(Instant::parse).orElse(null);
    Optional<String> sinceSeconds = query.get("sinceSeconds");
    if (sinceSeconds.isPresent()) {
      since = Instant.now().minusSeconds(Long.parseLong(sinceSeconds.get()));
    }
    LogRequest logRequest = new LogRequest(flag(query, "follow") && !previous,
        query.get("tailLines").map(Long::parseLong).orElse(null), flag(query, "timestamps"), since,
        query.get("limitBytes").map(Long::parseLong).orElse(null));
    String id = c.containerId();
    var source = ContainerLogReader.read(file, logRequest, () -> !previous && pods.container(namespace, podName, container)
        .map(now -> now.running() && now.containerId().equals(id)).orElse(false));
    return HttpResponse.create().withStatus(StatusCodes.OK)
        .withEntity(HttpEntities.createChunked(ContentTypes.TEXT_PLAIN_UTF8, source));
  }

  /**
   * Port forwarding over a WebSocket whose binary messages carry the SPDY/3.1 connection of
   * {@code portforward.k8s.io}, the way kubectl tunnels it; the API server relays the client's
   * connection here unchanged. The path says what the WebSocket carries, so no subprotocol is named
   * (Pekko HTTP's client would not accept {@code SPDY/3.1+portforward.k8s.io}, which is no HTTP token).
   */
  private HttpResponse portForward(String namespace, String podName, Optional<WebSocketUpgrade> upgrade) {
    Optional<LocalPods.Pod> pod = pods.pod(namespace, podName);
    if (pod.isEmpty()) {
      return status(404, "NotFound", "pod does not exist");
    }
    if (pod.get().containers().values().stream().noneMatch(LocalPods.Container::running)) {
      return status(500, "InternalError", "pod not found (\"" + podName + "_" + namespace + "\")");
    }
    if (upgrade.isEmpty()) {
      return status(400, "BadRequest", "Upgrade request required");
    }
    String uid = pod.get().uid();
    Flow<ByteString, ByteString, NotUsed> session = SpdySession.flow((s, materializer) ->
        new PortForwardHandler(system, materializer, podName + "_" + namespace, uid, LOOPBACK));
    return upgrade.get().handleMessagesWith(tunnel(session));
  }

  /** A byte stream (a SPDY connection) in binary messages whose boundaries mean nothing. */
  private static Flow<Message, Message, NotUsed> tunnel(Flow<ByteString, ByteString, NotUsed> connection) {
    return Flow.<Message>create()
        .flatMapConcat(m -> m.isText() ? Source.<ByteString>empty() : m.asBinaryMessage().getStreamedData()
            .mapMaterializedValue(ignored -> NotUsed.getInstance()))
        .via(connection)
        .map(bytes -> (Message) BinaryMessage.create(bytes));
  }

  /**
   * A command run in a container with its streams ({@code exec}), or a client attached to the container's
   * own streams ({@code attach}): a WebSocket whose binary messages are the frames of
   * {@code v5.channel.k8s.io} ({@link ChannelFrames}) for a WebSocket client, or, with
   * {@code transport=spdy}, carry the SPDY/3.1 connection of a client that speaks {@code v4.channel.k8s.io}
   * over SPDY (kubectl up to 1.29), relayed unchanged by the API server ({@link SpdyStreams}).
   */
  private HttpResponse streams(String subresource, String namespace, String podName, String container, Query query,
      Optional<WebSocketUpgrade> upgrade) {
    Optional<LocalPods.Pod> pod = pods.pod(namespace, podName);
    Optional<LocalPods.Container> found = pod.map(p -> p.containers().get(container));
    if (found.isEmpty() || !found.get().running()) {
      return status(400, "BadRequest", "unable to upgrade connection: container not found (\"" + container + "\")");
    }
    boolean exec = subresource.equals("exec");
    List<String> command = query.getAll("command");
    if (exec && command.isEmpty()) {
      return status(400, "BadRequest", "you must specify at least 1 command");
    }
    StreamSession.Options options = new StreamSession.Options(flag(query, "input"), flag(query, "output"),
        flag(query, "error"), flag(query, "tty"));
    if (!options.stdin() && !options.stdout() && !options.stderr()) {
      return status(400, "BadRequest", "you must specify at least 1 of stdin, stdout, stderr");
    }
    if (upgrade.isEmpty()) {
      return status(400, "BadRequest", "Upgrade request required");
    }
    ContainerRuntime runtime = pod.get().runtime();
    String containerId = found.get().containerId();
    Flow<ByteString, ByteString, NotUsed> session = exec
        ? StreamSession.flow(size -> size.map(s -> runtime.execOnTerminal(containerId, command, s.width(), s.height()))
                .orElseGet(() -> runtime.execAttached(containerId, command, options.tty())), true, options,
            new StreamSession.Outcome(code -> ExecStatus.exitCode(command, code.orElse(0)),
                failure -> ExecStatus.internalError("error executing command in container: " + failure.getMessage())),
            streams)
        : StreamSession.flow(() -> runtime.attach(containerId, options.tty(), options.stdin()), options,
            new StreamSession.Outcome(ended -> ExecStatus.success(),
                failure -> ExecStatus.internalError("error attaching to container: " + failure.getMessage())),
            streams);
    if (query.get("transport").filter(SPDY::equals).isPresent()) {
      return upgrade.get().handleMessagesWith(tunnel(SpdySession.flow((spdy, materializer) ->
          new SpdyStreams(options, session, materializer))));
    }
    return upgrade.get().handleMessagesWith(frames(session));
  }

  /** One frame per binary message, both ways; text messages carry no frame. */
  private static Flow<Message, Message, NotUsed> frames(Flow<ByteString, ByteString, NotUsed> session) {
    return Flow.<Message>create()
        .flatMapConcat(m -> m.isText() ? Source.<ByteString>empty()
            : m.asBinaryMessage().getStreamedData().fold(ByteString.emptyByteString(), ByteString::concat)
                .mapMaterializedValue(ignored -> NotUsed.getInstance()))
        .via(session)
        .map(bytes -> (Message) BinaryMessage.create(bytes));
  }

  private static boolean flag(Query query, String name) {
    return query.get(name).map(v -> v.isEmpty() || v.equalsIgnoreCase("true") || v.equals("1")).orElse(false);
  }

  private static String decode(String segment) {
    return URLDecoder.decode(segment, StandardCharsets.UTF_8);
  }

  static HttpResponse status(int code, String reason, String message) {
    ObjectNode status = Json.object();
    status.put("kind", "Status").put("apiVersion", "v1").put("status", "Failure");
    status.putObject("metadata");
    status.put("message", message).put("reason", reason).put("code", code);
    return HttpResponse.create().withStatus(code)
        .withEntity(HttpEntities.create(ContentTypes.APPLICATION_JSON, Json.write(status)));
  }
}
