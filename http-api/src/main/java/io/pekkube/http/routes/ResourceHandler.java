package io.pekkube.http.routes;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.pekkube.actors.api.ApiError;
import io.pekkube.actors.api.Json;
import io.pekkube.actors.api.ResourceType;
import io.pekkube.actors.api.TypeRegistry;
import io.pekkube.actors.gateway.ApiClient;
import io.pekkube.actors.resources.ObjectFilter;
import io.pekkube.actors.resources.ResourceEntity;
import io.pekkube.actors.resources.ResourceHub;
import io.pekkube.http.ApiPath;
import io.pekkube.http.routes.pods.SpdyUpgrade;
import io.pekkube.actors.gateway.FieldManager;
import io.pekkube.http.errors.Statuses;
import io.pekkube.http.fieldvalidation.PatchFieldValidation;
import io.pekkube.http.fieldvalidation.WarningHeaders;
import io.pekkube.http.patch.FieldManagerName;
import io.pekkube.http.warnings.PodWarnings;
import io.pekkube.http.patch.PatchDocument;
import io.pekkube.http.patch.PatchFailure;
import io.pekkube.http.patch.PatchType;
import io.pekkube.http.patch.Patcher;
import io.pekkube.http.routes.deletion.DeleteOptions;
import io.pekkube.http.tables.TableRequest;
import io.pekkube.http.tables.TableWatchEvents;
import io.pekkube.http.tables.Tables;
import io.pekkube.http.watch.WatchStreams;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ThreadLocalRandom;
import org.apache.pekko.NotUsed;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.http.javadsl.model.ContentTypes;
import org.apache.pekko.http.javadsl.model.HttpEntities;
import org.apache.pekko.http.javadsl.model.HttpRequest;
import org.apache.pekko.http.javadsl.model.HttpResponse;
import org.apache.pekko.http.javadsl.model.Query;
import org.apache.pekko.http.javadsl.model.StatusCode;
import org.apache.pekko.http.javadsl.model.StatusCodes;
import org.apache.pekko.http.javadsl.model.ws.Message;
import org.apache.pekko.http.javadsl.model.ws.TextMessage;
import org.apache.pekko.http.javadsl.model.ws.WebSocketUpgrade;
import org.apache.pekko.stream.javadsl.Flow;
import org.apache.pekko.stream.javadsl.Sink;
import org.apache.pekko.stream.javadsl.Source;
import org.apache.pekko.util.ByteString;

/**
 * GET, LIST, WATCH, POST, PUT, DELETE and DELETE-collection of API objects, for every registered
 * type, in the namespaced, cluster-scoped and all-namespaces forms.
 */
public final class ResourceHandler {
  private static final Duration DEFAULT_WATCH_TIMEOUT = Duration.ofMinutes(30);

  private final ActorSystem<?> system;
  private final ApiClient client;
  private final TypeRegistry types;
  private final Subresources subresources;
  private final ObjectBodies bodies;

  private final Patcher patcher;

  public ResourceHandler(ActorSystem<?> system, ApiClient client, TypeRegistry types, ObjectBodies bodies) {
    this(system, client, types, Subresources.Plugs.defaults(), bodies);
  }

  public ResourceHandler(ActorSystem<?> system, ApiClient client, TypeRegistry types, Subresources.Plugs plugs,
      ObjectBodies bodies) {
    this.system = system;
    this.client = client;
    this.types = types;
    this.subresources = new Subresources(client, plugs, bodies);
    this.patcher = new Patcher(client);
    this.bodies = bodies;
  }

  /**
   * A request already read: method, path, query, body media type and bytes, the connection upgrade it
   * asks for (WebSocket or SPDY/3.1), Accept and User-Agent headers.
   */
  public record Call(String method, ApiPath path, Query query, String mediaType, byte[] body,
      Optional<WebSocketUpgrade> webSocket, Optional<SpdyUpgrade> spdyUpgrade, String user, String accept,
      String userAgent) {
    public Call(String method, ApiPath path, Query query, String mediaType, byte[] body,
        Optional<WebSocketUpgrade> webSocket, String user) {
      this(method, path, query, mediaType, body, webSocket, Optional.empty(), user, "", "");
    }

    public Call(String method, ApiPath path, Query query, String mediaType, byte[] body,
        Optional<WebSocketUpgrade> webSocket, String user, String accept) {
      this(method, path, query, mediaType, body, webSocket, Optional.empty(), user, accept, "");
    }

    /** The field manager of a write: the fieldManager parameter or the User-Agent's first segment. */
    String fieldManager() {
      return FieldManagerName.of(query.get("fieldManager").orElse(""), userAgent);
    }
  }

  public CompletionStage<HttpResponse> handle(Call call) {
    ApiPath p = call.path();
    Optional<ResourceType> found = types.find(p.group(), p.version(), p.resource());
    if (found.isEmpty()) {
      return done(Statuses.response(ApiError.of(404, "NotFound",
          "the server could not find the requested resource")));
    }
    ResourceType type = found.get();
    if (!type.namespaced() && !p.namespace().isEmpty()) {
      return done(Statuses.response(ApiError.of(404, "NotFound",
          "the server could not find the requested resource")));
    }
    String dryRunValue = call.query().get("dryRun").orElse("");
    if (!dryRunValue.isEmpty() && !dryRunValue.equals("All")) {
      return done(Statuses.response(ApiError.badRequest("Invalid dryRun value: " + dryRunValue
          + " (supported: All)")));
    }
    boolean dryRun = dryRunValue.equals("All");
    Optional<CompletionStage<HttpResponse>> served =
        subresources.handle(call, type, type.namespaced() ? p.namespace() : "", dryRun);
    if (served.isPresent()) {
      return served.get();
    }
    if (!p.subresource().isEmpty() && !p.subresource().equals("status")) {
      return done(Statuses.response(type.hasSubresource(p.subresource())
          ? ApiError.methodNotAllowed("the subresource " + p.subresource() + " of " + type.plural()
              + " is not served yet")
          : ApiError.of(404, "NotFound", "the server could not find the requested resource")));
    }
    if (p.subresource().equals("status") && !type.hasStatus()) {
      return done(Statuses.response(ApiError.of(404, "NotFound", "the server could not find the requested resource")));
    }
    boolean watch = p.legacyWatch() || isTrue(call.query().get("watch"));
    String ns = type.namespaced() ? p.namespace() : "";
    TableRequest.Negotiated negotiated = call.method().equals("GET")
        ? TableRequest.negotiate(call.accept(), call.query().get("includeObject"))
        : new TableRequest.Negotiated(Optional.empty(), null);
    if (negotiated.error() != null) {
      return done(Statuses.response(negotiated.error()));
    }
    Optional<TableRequest> table = negotiated.table();
    try {
      return switch (call.method()) {
        case "GET" -> p.isCollection()
            ? (watch ? watch(call, type, ns, table) : list(call, type, ns, table))
            : get(type, ns, p.name(), table);
        case "POST" -> p.isCollection() && p.subresource().isEmpty()
            ? create(call, type, ns, dryRun)
            : done(Statuses.response(ApiError.methodNotAllowed("POST is not supported on this path")));
        case "PUT" -> p.isCollection()
            ? done(Statuses.response(ApiError.methodNotAllowed("PUT is not supported on a collection")))
            : update(call, type, ns, p.name(), p.subresource().equals("status"), dryRun);
        case "DELETE" -> p.isCollection() ? deleteCollection(call, type, ns, dryRun)
            : p.subresource().isEmpty() ? delete(call, type, ns, p.name(), dryRun)
            : done(Statuses.response(ApiError.methodNotAllowed("DELETE is not supported on a subresource")));
        case "PATCH" -> p.isCollection()
            ? done(Statuses.response(ApiError.methodNotAllowed("PATCH is not supported on a collection")))
            : patch(call, type, ns, p.name(), p.subresource().equals("status"), dryRun);
        default -> done(Statuses.response(ApiError.methodNotAllowed(
            "the server does not allow this method on the requested resource")));
      };
    } catch (IllegalArgumentException e) {
      return done(Statuses.response(ApiError.badRequest(e.getMessage())));
    }
  }

  private CompletionStage<HttpResponse> get(ResourceType type, String ns, String name, Optional<TableRequest> table) {
    if (type.namespaced() && ns.isEmpty()) {
      return done(Statuses.response(ApiError.of(404, "NotFound", "the server could not find the requested resource")));
    }
    return client.get(type, ns, name).thenApply(got -> got.object() == null
        ? Statuses.response(ApiError.notFound(type, name))
        : json(StatusCodes.OK, table.map(t -> Json.write(Tables.ofObject(type, t, Json.parseTrusted(got.object()),
            true, Instant.now()))).orElse(got.object())));
  }

  private CompletionStage<HttpResponse> list(Call call, ResourceType type, String ns, Optional<TableRequest> table) {
    ObjectFilter filter = filter(call.query(), type, ns);
    filter.compile();
    long limit = parseLimit(call.query().get("limit").orElse(""));
    String rv = call.query().get("resourceVersion").orElse("");
    String match = call.query().get("resourceVersionMatch").orElse("");
    if (!match.isEmpty() && !match.equals("Exact") && !match.equals("NotOlderThan")) {
      throw new IllegalArgumentException("resourceVersionMatch: Unsupported value: \"" + match
          + "\": supported values: \"Exact\", \"NotOlderThan\"");
    }
    if (!match.isEmpty() && rv.isEmpty()) {
      throw new IllegalArgumentException("resourceVersionMatch is forbidden unless resourceVersion is provided");
    }
    String cont = call.query().get("continue").orElse("");
    if (!cont.isEmpty() && !rv.isEmpty()) {
      throw new IllegalArgumentException("specifying resource version is not allowed when using continue");
    }
    return client.list(type, filter, rv, match.equals("Exact"), limit, cont).thenApply(result -> {
      if (result instanceof ResourceHub.ListFailed f) {
        return Statuses.response(f.error());
      }
      ResourceHub.Listed l = (ResourceHub.Listed) result;
      if (table.isPresent()) {
        return json(StatusCodes.OK, Json.write(Tables.ofList(type, table.get(), l.resourceVersion(), l.items(),
            l.continueToken(), l.remainingItemCount(), Instant.now())));
      }
      return json(StatusCodes.OK, listJson(type, l.resourceVersion(), l.items(), l.continueToken(), l.remainingItemCount()));
    });
  }

  static String listJson(ResourceType type, long rv, List<String> items, String cont, Long remaining) {
    StringBuilder b = new StringBuilder(64 + items.size() * 512);
    b.append("{\"kind\":\"").append(type.kind()).append("List\",\"apiVersion\":\"").append(type.apiVersion())
        .append("\",\"metadata\":{\"resourceVersion\":\"").append(rv).append('"');
    if (cont != null && !cont.isEmpty()) {
      b.append(",\"continue\":\"").append(cont).append('"');
    }
    if (remaining != null) {
      b.append(",\"remainingItemCount\":").append(remaining);
    }
    b.append("},\"items\":[");
    for (int i = 0; i < items.size(); i++) {
      if (i > 0) {
        b.append(',');
      }
      b.append(items.get(i));
    }
    return b.append("]}").toString();
  }

  private CompletionStage<HttpResponse> watch(Call call, ResourceType type, String ns, Optional<TableRequest> table) {
    ObjectFilter filter = filter(call.query(), type, ns);
    filter.compile();
    String rv = call.query().get("resourceVersion").orElse("");
    boolean bookmarks = isTrue(call.query().get("allowWatchBookmarks"));
    boolean initial = isTrue(call.query().get("sendInitialEvents"));
    Duration timeout = call.query().get("timeoutSeconds")
        .map(s -> Duration.ofSeconds(Math.max(1, parseLong(s, "timeoutSeconds"))))
        .orElse(DEFAULT_WATCH_TIMEOUT.plusSeconds(ThreadLocalRandom.current().nextInt(600)));
    Source<ByteString, NotUsed> events = table.isPresent()
        ? WatchStreams.open(system, client, type, filter, rv, bookmarks, initial, timeout,
            new TableWatchEvents(type, table.get(), Clock.systemUTC()))
        : WatchStreams.open(system, client, type, filter, rv, bookmarks, initial, timeout);
    if (call.webSocket().isPresent()) {
      Flow<Message, Message, NotUsed> flow = Flow.fromSinkAndSourceCoupled(
          Sink.<Message>ignore(), events.map(bytes -> (Message) TextMessage.create(bytes.utf8String())));
      return done(call.webSocket().get().handleMessagesWith(flow));
    }
    return done(HttpResponse.create().withStatus(StatusCodes.OK)
        .withEntity(HttpEntities.createChunked(ContentTypes.APPLICATION_JSON, events)));
  }

  private CompletionStage<HttpResponse> create(Call call, ResourceType type, String ns, boolean dryRun) {
    if (type.namespaced() && ns.isEmpty()) {
      return done(Statuses.response(ApiError.of(404, "NotFound", "the server could not find the requested resource")));
    }
    ObjectBodies.Read read = bodies.read(type, call.mediaType(), call.body(), call.query().get("fieldValidation"));
    if (read.error() != null) {
      return done(Statuses.response(read.error()));
    }
    ObjectNode object = read.object();
    ApiError mismatch = checkTypeAndNamespace(type, object, ns);
    if (mismatch != null) {
      return done(Statuses.response(mismatch));
    }
    ApiError badManager = FieldManagerName.validateForWrite(call.query().get("fieldManager").orElse(""),
        "CreateOptions");
    if (badManager != null) {
      return done(Statuses.response(badManager));
    }
    return client.create(type, ns, object, dryRun, call.user(), FieldManager.of(call.fieldManager()))
        .thenApply(r -> WarningHeaders.add(read.withWarnings(writeResponse(r, StatusCodes.CREATED)),
            r instanceof ResourceEntity.Rejected ? List.of() : PodWarnings.of(type, object)));
  }

  private CompletionStage<HttpResponse> update(Call call, ResourceType type, String ns, String name,
      boolean statusOnly, boolean dryRun) {
    ObjectBodies.Read read = bodies.read(type, call.mediaType(), call.body(), call.query().get("fieldValidation"));
    if (read.error() != null) {
      return done(Statuses.response(read.error()));
    }
    ObjectNode object = read.object();
    ApiError mismatch = checkTypeAndNamespace(type, object, ns);
    if (mismatch != null) {
      return done(Statuses.response(mismatch));
    }
    String bodyName = Json.meta(object, "name");
    if (!bodyName.equals(name)) {
      return done(Statuses.response(ApiError.badRequest("the name of the object (" + bodyName
          + ") does not match the name on the URL (" + name + ")")));
    }
    ApiError badManager = FieldManagerName.validateForWrite(call.query().get("fieldManager").orElse(""),
        "UpdateOptions");
    if (badManager != null) {
      return done(Statuses.response(badManager));
    }
    return client.update(type, ns, object, statusOnly, dryRun, call.user(), FieldManager.of(call.fieldManager()))
        .thenApply(r -> WarningHeaders.add(read.withWarnings(writeResponse(r, StatusCodes.OK)),
            r instanceof ResourceEntity.Rejected || statusOnly ? List.of() : PodWarnings.of(type, object)));
  }

  /** PATCH in its four forms (see the patch package): read, patch, write conditionally, retry. */
  private CompletionStage<HttpResponse> patch(Call call, ResourceType type, String ns, String name,
      boolean statusOnly, boolean dryRun) {
    if (type.namespaced() && ns.isEmpty()) {
      return done(Statuses.response(ApiError.of(404, "NotFound", "the server could not find the requested resource")));
    }
    Optional<PatchType> patchType = PatchType.of(call.mediaType());
    if (patchType.isEmpty()) {
      return done(Statuses.response(PatchType.unsupported(call.mediaType())));
    }
    String force = call.query().get("force").orElse("");
    String manager = call.fieldManager();
    ApiError badOptions = FieldManagerName.validate(call.query().get("fieldManager").orElse(""),
        patchType.get() == PatchType.APPLY, !force.isEmpty());
    if (badOptions != null) {
      return done(Statuses.response(badOptions));
    }
    PatchDocument document;
    PatchFieldValidation validation;
    try {
      document = PatchDocument.parse(patchType.get(), call.body());
      validation = bodies.forPatch(type, patchType.get(), call.body(), call.query().get("fieldValidation"));
    } catch (PatchFailure f) {
      return done(Statuses.response(f.error()));
    }
    Patcher.Target target = new Patcher.Target(type, ns, name, statusOnly, dryRun, call.user(),
        FieldManager.of(manager));
    return patcher.patch(target, document, manager, force.equals("true"), validation)
        .thenApply(o -> WarningHeaders.add(writeResponse(o.result(), o.created() ? StatusCodes.CREATED : StatusCodes.OK),
            o.result() instanceof ResourceEntity.Rejected ? List.of() : validation.warnings()));
  }

  private CompletionStage<HttpResponse> delete(Call call, ResourceType type, String ns, String name, boolean dryRun) {
    DeleteOptions options = DeleteOptions.from(call.mediaType(), call.body(), call.query());
    if (options.error() != null) {
      return done(Statuses.response(options.error()));
    }
    return client.delete(type, ns, name, new ApiClient.Preconditions(options.uid(), options.resourceVersion()),
            options.propagationPolicy(), options.gracePeriodSeconds(), dryRun || options.dryRun(), call.user())
        .thenApply(r -> {
          if (r instanceof ResourceEntity.Written w && w.kind() != io.pekkube.actors.resources.ObjectWrites.ChangeKind.DELETED) {
            // A deletion left pending (finalizers): 200 with the object, as Kubernetes answers.
            return json(options.legacyCascade() ? StatusCodes.ACCEPTED : StatusCodes.OK, w.object());
          }
          return writeResponse(r, StatusCodes.OK);
        });
  }

  private CompletionStage<HttpResponse> deleteCollection(Call call, ResourceType type, String ns, boolean dryRunQuery) {
    DeleteOptions options = DeleteOptions.from(call.mediaType(), call.body(), call.query());
    if (options.error() != null) {
      return done(Statuses.response(options.error()));
    }
    boolean dryRun = dryRunQuery || options.dryRun();
    ObjectFilter filter = filter(call.query(), type, ns);
    filter.compile();
    return client.list(type, filter, "", false, 0, "").thenCompose(result -> {
      if (result instanceof ResourceHub.ListFailed f) {
        return done(Statuses.response(f.error()));
      }
      ResourceHub.Listed listed = (ResourceHub.Listed) result;
      List<CompletableFuture<ResourceEntity.WriteResult>> deletes = new ArrayList<>();
      for (String item : listed.items()) {
        JsonNode obj = Json.parseTrusted(item);
        deletes.add(client.delete(type, Json.meta(obj, "namespace"), Json.meta(obj, "name"),
            ApiClient.Preconditions.NONE, options.propagationPolicy(), options.gracePeriodSeconds(), dryRun,
            call.user()).toCompletableFuture());
      }
      return CompletableFuture.allOf(deletes.toArray(CompletableFuture[]::new)).thenApply(v -> {
        List<String> items = new ArrayList<>();
        for (CompletableFuture<ResourceEntity.WriteResult> f : deletes) {
          ResourceEntity.WriteResult r = f.join();
          if (r instanceof ResourceEntity.Written w) {
            items.add(w.object());
          } else if (r instanceof ResourceEntity.Rejected rej && rej.error().code() != 404) {
            return Statuses.response(rej.error());
          }
        }
        return json(StatusCodes.OK, listJson(type, listed.resourceVersion(), items, "", null));
      });
    });
  }

  private static ApiError checkTypeAndNamespace(ResourceType type, ObjectNode object, String ns) {
    String apiVersion = object.path("apiVersion").asText("");
    String kind = object.path("kind").asText("");
    if (!apiVersion.isEmpty() && !apiVersion.equals(type.apiVersion())
        || !kind.isEmpty() && !kind.equals(type.kind())) {
      return ApiError.badRequest("the API version in the data (" + apiVersion + ") and kind (" + kind
          + ") do not match the request's " + type.apiVersion() + " " + type.kind());
    }
    JsonNode meta = object.path("metadata");
    if (!meta.isMissingNode() && !meta.isObject()) {
      return ApiError.badRequest("metadata must be an object");
    }
    String bodyNs = meta.path("namespace").asText("");
    if (type.namespaced() && !bodyNs.isEmpty() && !bodyNs.equals(ns)) {
      return ApiError.badRequest("the namespace of the provided object does not match the namespace sent on the request");
    }
    if (!type.namespaced() && !bodyNs.isEmpty()) {
      Json.metadata(object).remove("namespace");
    }
    return null;
  }

  private static HttpResponse writeResponse(ResourceEntity.WriteResult r, StatusCode success) {
    if (r instanceof ResourceEntity.Written w) {
      return json(success, w.object());
    } else if (r instanceof ResourceEntity.NotChanged n) {
      return json(StatusCodes.OK, n.object());
    } else if (r instanceof ResourceEntity.Rejected rej) {
      return Statuses.response(rej.error());
    }
    return Statuses.response(ApiError.unavailable("the write could not be ordered; retry"));
  }

  private static ObjectFilter filter(Query q, ResourceType type, String ns) {
    return new ObjectFilter(type.kind(), ns, q.get("labelSelector").orElse(""), q.get("fieldSelector").orElse(""));
  }

  private static long parseLimit(String s) {
    return s.isEmpty() ? 0 : Math.max(0, parseLong(s, "limit"));
  }

  private static long parseLong(String s, String name) {
    try {
      return Long.parseLong(s);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("invalid value for " + name + ": \"" + s + "\"");
    }
  }

  private static boolean isTrue(Optional<String> v) {
    return v.map(s -> s.equals("true") || s.equals("1")).orElse(false);
  }

  static HttpResponse json(StatusCode status, String body) {
    return HttpResponse.create().withStatus(status).withEntity(HttpEntities.create(ContentTypes.APPLICATION_JSON, body));
  }

  private static <T> CompletionStage<T> done(T v) {
    return CompletableFuture.completedFuture(v);
  }
}
