package io.pekkube.http.routes.pods;

import com.fasterxml.jackson.databind.JsonNode;
import io.pekkube.actors.api.ApiError;
import java.util.concurrent.CompletionStage;
import org.apache.pekko.NotUsed;
import org.apache.pekko.stream.javadsl.Source;
import org.apache.pekko.util.ByteString;

/**
 * Where the log of a container of a bound pod comes from: the kubelet of the pod's node plugs in
 * here. The route has already checked the options, the pod and the container name.
 */
public interface PodLogSource {

  /** The log bytes (finite, or following the container when {@code options.follow()}), or a refusal. */
  record Opened(Source<ByteString, NotUsed> log, ApiError refusal) {}

  CompletionStage<Opened> open(JsonNode pod, String container, LogOptions options);
}
