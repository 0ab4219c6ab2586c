package io.pekkube.http.routes.pods;

import com.fasterxml.jackson.databind.JsonNode;
import io.pekkube.actors.api.ApiError;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.apache.pekko.NotUsed;
import org.apache.pekko.stream.javadsl.Flow;
import org.apache.pekko.util.ByteString;

/**
 * The streams of a container of a bound pod (exec, attach): the kubelet of the pod's node plugs in
 * here. A session exchanges either channel frames (WebSocket clients; first byte the channel: 0 stdin,
 * 1 stdout, 2 stderr, 3 error, 4 resize, 255 close), or the bytes of the client's SPDY/3.1 connection.
 */
public interface ContainerStreams {

  /** What a session carries: one channel frame per element, or a SPDY connection's bytes. */
  enum Transport { CHANNEL_FRAMES, SPDY }

  /**
   * A session's flow, or why there is none (sent to a WebSocket client as a Status on the error channel,
   * to a SPDY client as the answer to its upgrade).
   */
  record Session(Flow<ByteString, ByteString, NotUsed> frames, ApiError refusal) {}

  /** {@code query} gives every value of a parameter (exec's {@code command} repeats). */
  CompletionStage<Session> open(String subresource, JsonNode pod, String container,
      java.util.function.Function<String, java.util.List<String>> query, Transport transport);

  /**
   * Whether the kubelet of the pod's node can be found (null) or why not, as the API server resolves it
   * before it looks at the upgrade; opens nothing.
   */
  default CompletionStage<ApiError> locate(JsonNode pod) {
    return CompletableFuture.completedFuture(null);
  }

  /** No kubelet runs pods yet, so no container of any pod has been started. */
  ContainerStreams NO_KUBELET = (subresource, pod, container, query, transport) -> CompletableFuture.completedFuture(
      new Session(null, ApiError.of(404, "NotFound", "container not found (\"" + container + "\")")));
}
