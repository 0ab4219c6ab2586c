package io.pekkube.http.routes.pods;

import com.fasterxml.jackson.databind.JsonNode;
import io.pekkube.actors.api.ApiError;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.apache.pekko.NotUsed;
import org.apache.pekko.stream.javadsl.Flow;
import org.apache.pekko.util.ByteString;

/**
 * Port forwarding to a bound, running pod: the kubelet of the pod's node plugs in here. The tunnel
 * carries the client's SPDY/3.1 connection ({@code portforward.k8s.io}) unchanged, in both directions.
 */
public interface PodPortForwarding {

  /** The connection to the kubelet, usable once, or why there is none. */
  record Tunnel(Flow<ByteString, ByteString, NotUsed> connection, ApiError refusal) {}

  CompletionStage<Tunnel> open(JsonNode pod);

  /** No kubelet runs pods: no port can be reached. */
  PodPortForwarding NO_KUBELET = pod -> CompletableFuture.completedFuture(new Tunnel(null,
      ApiError.badRequest("pod " + pod.path("metadata").path("name").asText() + " has no kubelet to forward to")));
}
