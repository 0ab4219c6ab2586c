package io.pekkube.http;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.typesafe.config.Config;
import io.pekkube.actors.api.ApiError;
import io.pekkube.actors.api.Json;
import io.pekkube.actors.api.TypeRegistry;
import io.pekkube.actors.gateway.ApiClient;
import io.pekkube.http.errors.Statuses;
import io.pekkube.http.negotiation.DiscoveryMedia;
import io.pekkube.http.routes.Bodies;
import io.pekkube.actors.api.schema.SchemaCatalog;
import io.pekkube.http.openapi.OpenApiDocuments;
import io.pekkube.http.openapi.OpenApiRoutes;
import io.pekkube.http.routes.Discovery;
import io.pekkube.http.routes.ObjectBodies;
import io.pekkube.http.routes.ResourceHandler;
import io.pekkube.http.routes.Subresources;
import io.pekkube.http.routes.debug.ShardReport;
import io.pekkube.http.routes.pods.OfferedSubprotocols;
import io.pekkube.http.routes.pods.SpdyUpgrade;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.http.javadsl.Http;
import org.apache.pekko.http.javadsl.ServerBinding;
import org.apache.pekko.http.javadsl.model.ContentTypes;
import org.apache.pekko.http.javadsl.model.HttpEntities;
import org.apache.pekko.http.javadsl.model.HttpEntity;
import org.apache.pekko.http.javadsl.model.HttpRequest;
import org.apache.pekko.http.javadsl.model.HttpResponse;
import org.apache.pekko.http.javadsl.model.HttpHeader;
import org.apache.pekko.http.javadsl.model.RequestEntity;
import org.apache.pekko.http.javadsl.model.StatusCodes;
import org.apache.pekko.http.javadsl.model.headers.RawHeader;
import org.apache.pekko.http.javadsl.model.ws.WebSocketUpgrade;
import org.apache.pekko.http.javadsl.settings.ServerSettings;
import org.apache.pekko.http.scaladsl.model.EntityStreamSizeException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Kubernetes REST surface over HTTP/1.1: health and version, discovery, and the resource
 * routes. Every failure leaves here as a {@code Status}; no request gets a stack trace or hangs.
 */
public final class ApiServer {
  private static final Logger LOG = LoggerFactory.getLogger(ApiServer.class);
  /** kubectl compares its minor version with this for its version-skew warning. */
  public static final String KUBERNETES_VERSION = "v1.32.0";

  private final ActorSystem<?> system;
  private final ResourceHandler resources;
  private final Discovery discovery;
  private final OpenApiRoutes openApi;
  private final ShardReport shards;
  private final BooleanSupplier ready;
  private final Supplier<String> notReadyReason;

  public ApiServer(ActorSystem<?> system, ApiClient client, TypeRegistry types, String address, BooleanSupplier ready,
      Supplier<String> notReadyReason) {
    this(system, client, types, Subresources.Plugs.defaults(), address, ready, notReadyReason);
  }

  /** A server whose subresources use {@code plugs} (the kubelets' logs and streams, ...). */
  public ApiServer(ActorSystem<?> system, ApiClient client, TypeRegistry types, Subresources.Plugs plugs, String address,
      BooleanSupplier ready, Supplier<String> notReadyReason) {
    this.system = system;
    SchemaCatalog catalog = SchemaCatalog.of(types.all());
    this.resources = new ResourceHandler(system, client, types, plugs, new ObjectBodies(catalog));
    this.discovery = new Discovery(types, address);
    this.openApi = new OpenApiRoutes(new OpenApiDocuments(types, catalog, KUBERNETES_VERSION));
    this.shards = new ShardReport(system);
    this.ready = ready;
    this.notReadyReason = notReadyReason;
  }

  public CompletionStage<ServerBinding> bind(String host, int port) {
    Config config = system.settings().config();
    ServerSettings settings = ServerSettings.create(
        config.getConfig("pekkube.api-server.http").atPath("pekko.http.server").withFallback(config));
    return Http.get(system).newServerAt(host, port).withSettings(settings).bind(this::handle);
  }

  CompletionStage<HttpResponse> handle(HttpRequest request) {
    try {
      return route(request).exceptionally(ApiServer::failure);
    } catch (RuntimeException e) {
      request.discardEntityBytes(system);
      return CompletableFuture.completedFuture(failure(e));
    }
  }

  private static HttpResponse failure(Throwable e) {
    Throwable cause = e instanceof java.util.concurrent.CompletionException && e.getCause() != null ? e.getCause() : e;
    if (cause instanceof java.util.concurrent.TimeoutException) {
      return Statuses.response(ApiError.timeout("the request timed out: " + cause.getMessage()));
    }
    if (cause instanceof IllegalArgumentException) {
      return Statuses.response(ApiError.badRequest(cause.getMessage()));
    }
    LOG.error("request failed", cause);
    return Statuses.response(ApiError.internal("an error on the server (" + cause.getClass().getSimpleName()
        + ") has prevented the request from succeeding"));
  }

  private CompletionStage<HttpResponse> route(HttpRequest request) {
    String path = request.getUri().path();
    String method = request.method().value();
    switch (path) {
      case "/healthz", "/livez" -> {
        return text(request, "ok", true);
      }
      case "/readyz" -> {
        boolean isReady = ready.getAsBoolean();
        return text(request, isReady ? "ok" : "not ready: " + notReadyReason.get(), isReady);
      }
      case "/debug/shards" -> {
        request.discardEntityBytes(system);
        return shards.report().thenApply(body -> HttpResponse.create().withStatus(StatusCodes.OK)
            .withEntity(HttpEntities.create(ContentTypes.APPLICATION_JSON, Json.write(body))));
      }
      case "/version", "/version/" -> {
        return json(request, version());
      }
      case "/api", "/api/" -> {
        return discoveryRoot(request, true);
      }
      case "/apis", "/apis/" -> {
        return discoveryRoot(request, false);
      }
      default -> { }
    }
    if (path.startsWith("/openapi/")) {
      Optional<HttpResponse> answer = openApi.handle(request);
      if (answer.isPresent()) {
        request.discardEntityBytes(system);
        return CompletableFuture.completedFuture(answer.get());
      }
    }
    ApiPath apiPath = ApiPath.parse(path);
    if (apiPath == null) {
      if (path.startsWith("/apis/") && path.split("/").length == 3) {
        Optional<ObjectNode> group = discovery.group(path.split("/")[2]);
        if (group.isPresent()) {
          return json(request, group.get());
        }
      }
      request.discardEntityBytes(system);
      return CompletableFuture.completedFuture(Statuses.response(
          ApiError.of(404, "NotFound", "the server could not find the requested resource")));
    }
    if (apiPath.isDiscovery()) {
      Optional<ObjectNode> list = discovery.resourceList(apiPath.group(), apiPath.version());
      if (list.isPresent()) {
        return json(request, list.get());
      }
      request.discardEntityBytes(system);
      return CompletableFuture.completedFuture(Statuses.response(
          ApiError.of(404, "NotFound", "the server could not find the requested resource")));
    }
    Optional<WebSocketUpgrade> ws = OfferedSubprotocols.of(request);
    String mediaType = request.entity().getContentType().mediaType().toString();
    if (request.entity().getContentType().equals(ContentTypes.NO_CONTENT_TYPE)) {
      mediaType = "";
    }
    String media = mediaType.contains(";") ? mediaType.substring(0, mediaType.indexOf(';')).trim() : mediaType;
    var length = request.entity().getContentLengthOption();
    if (length.isPresent() && length.getAsLong() > Bodies.MAX_BODY_BYTES) {
      request.discardEntityBytes(system);
      return CompletableFuture.completedFuture(Statuses.response(Bodies.tooLarge()));
    }
    return body(request.entity())
        .thenCompose(bytes -> resources.handle(new ResourceHandler.Call(method, apiPath, request.getUri().query(),
            media, bytes, ws, SpdyUpgrade.of(request), "admin", accept(request),
            request.getHeader("User-Agent").map(h -> h.value()).orElse(""))))
        .exceptionally(e -> {
          Throwable c = e.getCause() != null ? e.getCause() : e;
          if (c instanceof EntityStreamSizeException) {
            return Statuses.response(Bodies.tooLarge());
          }
          return failure(e);
        });
  }

  /**
   * The bytes of a request body of at most {@link Bodies#MAX_BODY_BYTES} (a larger declared length was
   * refused before). A body that arrived whole is read as it is: {@code toStrict} would run a stream for it.
   */
  private CompletionStage<byte[]> body(RequestEntity entity) {
    if (entity instanceof HttpEntity.Strict strict) {
      return CompletableFuture.completedFuture(strict.getData().toArray());
    }
    return entity.toStrict(30_000, Bodies.MAX_BODY_BYTES, system).thenApply(strict -> strict.getData().toArray());
  }

  /** {@code /api} or {@code /apis}: the aggregated form when the client asks for it, else legacy. */
  private CompletionStage<HttpResponse> discoveryRoot(HttpRequest request, boolean core) {
    Optional<String> aggregated = Discovery.aggregatedVersion(accept(request));
    if (aggregated.isEmpty()) {
      return json(request, core ? discovery.apiVersions() : discovery.groupList())
          .thenApply(r -> r.addHeader(VARY_ACCEPT));
    }
    String v = aggregated.get();
    ObjectNode body = core ? discovery.aggregatedCore(v) : discovery.aggregatedGroups(v);
    request.discardEntityBytes(system);
    return CompletableFuture.completedFuture(HttpResponse.create().withStatus(StatusCodes.OK)
        .addHeader(VARY_ACCEPT)
        .withEntity(HttpEntities.create(DiscoveryMedia.contentType(v), Json.write(body))));
  }

  private static final HttpHeader VARY_ACCEPT = RawHeader.create("Vary", "Accept");

  static String accept(HttpRequest request) {
    return request.getHeader("Accept").map(HttpHeader::value).orElse("");
  }

  private CompletionStage<HttpResponse> json(HttpRequest request, ObjectNode body) {
    request.discardEntityBytes(system);
    return CompletableFuture.completedFuture(HttpResponse.create().withStatus(StatusCodes.OK)
        .withEntity(HttpEntities.create(ContentTypes.APPLICATION_JSON, Json.write(body))));
  }

  private CompletionStage<HttpResponse> text(HttpRequest request, String body, boolean ok) {
    request.discardEntityBytes(system);
    return CompletableFuture.completedFuture(HttpResponse.create()
        .withStatus(ok ? StatusCodes.OK : StatusCodes.SERVICE_UNAVAILABLE)
        .withEntity(HttpEntities.create(ContentTypes.TEXT_PLAIN_UTF8, body)));
  }

  private static ObjectNode version() {
    ObjectNode v = Json.object();
    v.put("major", "1");
    v.put("minor", "32");
    v.put("gitVersion", KUBERNETES_VERSION + "+pekkube");
    v.put("gitCommit", "");
    v.put("gitTreeState", "clean");
    v.put("buildDate", "1970-01-01T00:00:00Z");
    v.put("goVersion", "java" + Runtime.version().feature());
    v.put("compiler", "pekko");
    v.put("platform", System.getProperty("os.name").toLowerCase() + "/" + System.getProperty("os.arch"));
    return v;
  }
}
