package io.pekkube.actors.events;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.pekkube.actors.api.BuiltinTypes;
import io.pekkube.actors.api.Json;
import io.pekkube.actors.gateway.ApiClient;
import io.pekkube.actors.resources.ObjectWrites;
import io.pekkube.actors.resources.ResourceEntity;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * Writes core/v1 Events through the gateway as client-go's event recorder and correlator do, for every
 * component that reports (the scheduler, the kubelet):
 * <ul>
 *   <li>an event repeated with the same source, involved object (field path included), type, reason and
 *   message is one Event whose {@code count} and {@code lastTimestamp} grow (the correlator's logger,
 *   an LRU of {@value #CACHE_SIZE} keys), written again with a fresh one when it was deleted;</li>
 *   <li>a spam filter per such key: a burst of {@value #BURST} writes, then one per
 *   {@code 5 min} (the correlator's token bucket), so a probe that fails every period does not write
 *   an Event every period forever.</li>
 * </ul>
 * Writes of one key go one after another; reports are best effort and a failed write is dropped.
 */
public final class EventRecorder {
  static final int CACHE_SIZE = 4096;
  static final int BURST = 25;
  static final Duration REFILL = Duration.ofMinutes(5);

  /** {@code source} of the Events: the component and, for a kubelet, its node. */
  public record Source(String component, String host) {}

  /** The object an Event is about ({@code involvedObject}); {@code fieldPath} names a part of it, or is empty. */
  public record Involved(String apiVersion, String kind, String namespace, String name, String uid,
      String resourceVersion, String fieldPath) {

    /** A pod, as its object says. */
    public static Involved pod(JsonNode pod) {
      JsonNode meta = pod.path("metadata");
      return pod(meta.path("namespace").asText(""), meta.path("name").asText(""), meta.path("uid").asText(""),
          meta.path("resourceVersion").asText(""));
    }

    /** A pod, from what the scheduler keeps of it. */
    public static Involved pod(String namespace, String name, String uid, String resourceVersion) {
      return new Involved("v1", "Pod", namespace, name, uid, resourceVersion, "");
    }

    /** Any object, as its own apiVersion, kind and metadata say. */
    public static Involved of(JsonNode object) {
      JsonNode meta = object.path("metadata");
      return new Involved(object.path("apiVersion").asText(""), object.path("kind").asText(""),
          meta.path("namespace").asText(""), meta.path("name").asText(""), meta.path("uid").asText(""),
          meta.path("resourceVersion").asText(""), "");
    }

    /** The same object, a part of it ({@code spec.containers{name}}). */
    public Involved field(String path) {
      return new Involved(apiVersion, kind, namespace, name, uid, resourceVersion, path);
    }
  }

  private final ApiClient client;
  private final String user;
  private final Source source;
  private final Clock clock;
  private final Map<String, Seen> seen = new LinkedHashMap<>(16, 0.75f, true) {
    @Override
    protected boolean removeEldestEntry(Map.Entry<String, Seen> eldest) {
      return size() > CACHE_SIZE;
    }
  };

  /** What was written for one key: the Event's name, its count so far, and the key's spam tokens. */
  private static final class Seen {
    final String name;
    final String firstTimestamp;
    int count;
    double tokens = BURST;
    Instant refilledAt;
    CompletionStage<?> lastWrite = CompletableFuture.completedFuture(null);

    Seen(String name, String firstTimestamp, Instant now) {
      this.name = name;
      this.firstTimestamp = firstTimestamp;
      this.refilledAt = now;
    }
  }

  public EventRecorder(ApiClient client, String user, Source source, Clock clock) {
    this.client = client;
    this.user = user;
    this.source = source;
    this.clock = clock;
  }

  /**
   * Records one occurrence: a new Event, or the count of the identical one raised. Answers when the write
   * is done (immediately when the spam filter drops it).
   */
  public synchronized CompletionStage<Void> record(Involved object, String type, String reason, String action,
      String message) {
    Instant now = clock.instant();
    String key = String.join("\u0000", object.apiVersion(), object.kind(), object.namespace(), object.name(),
        object.uid(), object.fieldPath(), type, reason, message);
    Seen known = seen.get(key);
    if (known == null) {
      ObjectNode event = event(object, source, type, reason, action, message, now);
      known = new Seen(Json.meta(event, "name"), event.path("firstTimestamp").asText(), now);
      seen.put(key, known);
    }
    if (!takeToken(known, now)) {
      return CompletableFuture.completedFuture(null);
    }
    known.count++;
    ObjectNode event = event(object, source, type, reason, action, message, now);
    ((ObjectNode) event.path("metadata")).put("name", known.name);
    event.put("firstTimestamp", known.firstTimestamp);
    event.put("count", known.count);
    boolean first = known.count == 1;
    CompletionStage<Void> write = known.lastWrite.handle((r, e) -> null)
        .thenCompose(ignored -> first ? create(event) : client.update(BuiltinTypes.EVENT,
            Json.meta(event, "namespace"), event, false, false, user).thenCompose(result ->
                result instanceof ResourceEntity.Rejected rejected && rejected.error().code() == 404 ? create(event)
                    : CompletableFuture.completedFuture(result)))
        .handle((r, e) -> null);
    known.lastWrite = write;
    return write;
  }

  private CompletionStage<ResourceEntity.WriteResult> create(ObjectNode event) {
    return client.create(BuiltinTypes.EVENT, Json.meta(event, "namespace"), event, false, user);
  }

  private static boolean takeToken(Seen known, Instant now) {
    double refilled = (double) Duration.between(known.refilledAt, now).toMillis() / REFILL.toMillis();
    known.tokens = Math.min(BURST, known.tokens + refilled);
    known.refilledAt = now;
    if (known.tokens < 1) {
      return false;
    }
    known.tokens -= 1;
    return true;
  }

  /** A core/v1 Event, named as client-go's recorder names them ({@code <object>.<hex nanos>}). Pure. */
  public static ObjectNode event(Involved object, Source source, String type, String reason, String action,
      String message, Instant now) {
    ObjectNode e = Json.object();
    e.put("apiVersion", "v1");
    e.put("kind", "Event");
    long nanos = now.getEpochSecond() * 1_000_000_000L + now.getNano();
    // As client-go's recorder: an Event about a cluster-scoped object (a PersistentVolume, a Node) lives in "default".
    e.putObject("metadata").put("name", object.name() + "." + Long.toHexString(nanos))
        .put("namespace", object.namespace().isEmpty() ? "default" : object.namespace());
    ObjectNode involved = e.putObject("involvedObject");
    involved.put("apiVersion", object.apiVersion()).put("kind", object.kind()).put("namespace", object.namespace())
        .put("name", object.name()).put("uid", object.uid());
    if (!object.resourceVersion().isEmpty()) {
      involved.put("resourceVersion", object.resourceVersion());
    }
    if (!object.fieldPath().isEmpty()) {
      involved.put("fieldPath", object.fieldPath());
    }
    e.put("reason", reason);
    e.put("message", message);
    e.put("type", type);
    ObjectNode from = e.putObject("source").put("component", source.component());
    if (!source.host().isEmpty()) {
      from.put("host", source.host());
    }
    String at = ObjectWrites.timestamp(now);
    e.put("firstTimestamp", at);
    e.put("lastTimestamp", at);
    e.put("count", 1);
    e.put("reportingComponent", source.component());
    e.put("reportingInstance", source.host().isEmpty() ? source.component() : source.host());
    if (!action.isEmpty()) {
      e.put("action", action);
    }
    return e;
  }
}
