package io.pekkube.http.errors;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.pekkube.actors.api.ApiError;
import io.pekkube.actors.api.Json;
import java.util.ArrayList;
import java.util.List;
import org.apache.pekko.http.javadsl.model.ContentTypes;
import org.apache.pekko.http.javadsl.model.HttpEntities;
import org.apache.pekko.http.javadsl.model.HttpHeader;
import org.apache.pekko.http.javadsl.model.HttpResponse;
import org.apache.pekko.http.javadsl.model.StatusCodes;
import org.apache.pekko.http.javadsl.model.headers.RawHeader;

/** The one place where a failure becomes what a client sees: a Kubernetes {@code Status}. */
public final class Statuses {

  private Statuses() {}

  public static ObjectNode status(ApiError error) {
    ObjectNode s = Json.object();
    s.put("kind", "Status");
    s.put("apiVersion", "v1");
    s.putObject("metadata");
    s.put("status", "Failure");
    s.put("message", error.message());
    s.put("reason", error.reason());
    ApiError.Details d = error.details();
    if (d != null || error.retryAfterSeconds() != null) {
      ObjectNode details = s.putObject("details");
      if (d != null) {
        putIfPresent(details, "name", d.name());
        putIfPresent(details, "group", d.group());
        putIfPresent(details, "kind", d.kind());
        if (d.causes() != null && !d.causes().isEmpty()) {
          ArrayNode causes = details.putArray("causes");
          for (ApiError.Cause c : d.causes()) {
            ObjectNode cause = causes.addObject();
            cause.put("reason", c.reason());
            cause.put("message", c.message());
            if (c.field() != null) {
              cause.put("field", c.field());
            }
          }
        }
      }
      if (error.retryAfterSeconds() != null) {
        details.put("retryAfterSeconds", error.retryAfterSeconds());
      }
    }
    s.put("code", error.code());
    return s;
  }

  private static void putIfPresent(ObjectNode node, String field, String value) {
    if (value != null && !value.isEmpty()) {
      node.put(field, value);
    }
  }

  public static HttpResponse response(ApiError error) {
    List<HttpHeader> headers = new ArrayList<>();
    if (error.retryAfterSeconds() != null) {
      headers.add(RawHeader.create("Retry-After", Integer.toString(error.retryAfterSeconds())));
    }
    return HttpResponse.create()
        .withStatus(StatusCodes.get(error.code()))
        .addHeaders(headers)
        .withEntity(HttpEntities.create(ContentTypes.APPLICATION_JSON, Json.write(status(error))));
  }

  /** The bare success Status some subresources answer (a Binding or an Eviction created: 201). */
  public static ObjectNode success(int code) {
    ObjectNode s = Json.object();
    s.put("kind", "Status");
    s.put("apiVersion", "v1");
    s.putObject("metadata");
    s.put("status", "Success");
    s.put("code", code);
    return s;
  }

  /** The Status Kubernetes answers for a successful delete of a collection-less object and similar. */
  public static ObjectNode success(String kind, String name) {
    ObjectNode s = Json.object();
    s.put("kind", "Status");
    s.put("apiVersion", "v1");
    s.putObject("metadata");
    s.put("status", "Success");
    ObjectNode details = s.putObject("details");
    details.put("name", name);
    details.put("kind", kind);
    return s;
  }
}
