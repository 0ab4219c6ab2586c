package io.pekkube.http.openapi;

import io.pekkube.actors.api.ApiError;
import io.pekkube.actors.api.Json;
import io.pekkube.http.errors.Statuses;
import java.util.List;
import java.util.Optional;
import org.apache.pekko.http.javadsl.model.ContentTypes;
import org.apache.pekko.http.javadsl.model.HttpEntities;
import org.apache.pekko.http.javadsl.model.HttpRequest;
import org.apache.pekko.http.javadsl.model.HttpResponse;
import org.apache.pekko.http.javadsl.model.StatusCodes;
import org.apache.pekko.http.javadsl.model.headers.RawHeader;

/**
 * {@code /openapi/v3}, {@code /openapi/v3/<group-version>} and {@code /openapi/v2}. A v3 document
 * asked for with its current {@code ?hash=} is immutable (cached for a year, like Kubernetes); with
 * an old hash the client is redirected to the current one. v2 is served as JSON, or as gnostic
 * protobuf to clients asking only for that (client-go, kubectl ≤ 1.27).
 */
public final class OpenApiRoutes {
  private final OpenApiDocuments documents;

  public OpenApiRoutes(OpenApiDocuments documents) {
    this.documents = documents;
  }

  /** The answer for a path under /openapi/, or empty if the path is not one of these. */
  public Optional<HttpResponse> handle(HttpRequest request) {
    String path = request.getUri().path();
    if (path.equals("/openapi/v3") || path.equals("/openapi/v3/")) {
      return Optional.of(ok(Json.write(documents.v3Index()), List.of(RawHeader.create("Cache-Control", "no-cache, private"))));
    }
    if (path.equals("/openapi/v2")) {
      String accept = request.getHeader("Accept").map(h -> h.value()).orElse("");
      if (accept.contains(OpenApiV2Protobuf.MEDIA_TYPE) && !accept.contains("json")) {
        return Optional.of(HttpResponse.create().withStatus(StatusCodes.OK)
            .addHeader(RawHeader.create("ETag", "\"" + documents.v2().hash() + "\""))
            .withEntity(HttpEntities.create(ContentTypes.APPLICATION_OCTET_STREAM, documents.v2Protobuf())));
      }
      if (!accept.isEmpty() && !accept.contains("json") && !accept.contains("*/*")) {
        return Optional.of(Statuses.response(ApiError.of(406, "NotAcceptable",
            "only application/json and the protobuf form are served for /openapi/v2")));
      }
      return Optional.of(ok(documents.v2().json(), List.of(RawHeader.create("ETag", "\"" + documents.v2().hash() + "\""))));
    }
    if (!path.startsWith("/openapi/v3/")) {
      return Optional.empty();
    }
    String key = path.substring("/openapi/v3/".length());
    Optional<OpenApiDocuments.Document> doc = documents.v3(key);
    if (doc.isEmpty()) {
      return Optional.of(Statuses.response(ApiError.of(404, "NotFound", "the server could not find the requested resource")));
    }
    String hash = request.getUri().query().get("hash").orElse("");
    String etag = "\"" + doc.get().hash() + "\"";
    if (!hash.isEmpty() && !hash.equals(doc.get().hash())) {
      return Optional.of(HttpResponse.create().withStatus(StatusCodes.MOVED_PERMANENTLY)
          .addHeader(RawHeader.create("Location", "/openapi/v3/" + key + "?hash=" + doc.get().hash())));
    }
    if (request.getHeader("If-None-Match").map(h -> h.value().equals(etag)).orElse(false)) {
      return Optional.of(HttpResponse.create().withStatus(StatusCodes.NOT_MODIFIED).addHeader(RawHeader.create("ETag", etag)));
    }
    List<org.apache.pekko.http.javadsl.model.HttpHeader> headers = hash.isEmpty()
        ? List.of(RawHeader.create("ETag", etag), RawHeader.create("Cache-Control", "no-cache, private"))
        : List.of(RawHeader.create("ETag", etag), RawHeader.create("Cache-Control", "public, immutable"),
            RawHeader.create("Expires", "Thu, 01 Jan 2099 00:00:00 GMT"));
    return Optional.of(ok(doc.get().json(), headers));
  }

  private static HttpResponse ok(String json, List<org.apache.pekko.http.javadsl.model.HttpHeader> headers) {
    return HttpResponse.create().withStatus(StatusCodes.OK).addHeaders(headers)
        .withEntity(HttpEntities.create(ContentTypes.APPLICATION_JSON, json));
  }
}
