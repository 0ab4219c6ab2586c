package io.pekkube.http.routes.pods;

import com.fasterxml.jackson.databind.JsonNode;
import io.pekkube.actors.api.ApiError;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * The log source while no kubelet runs pods: no container has ever started, so every request is
 * answered as the kubelet answers for a container without logs ({@code validateContainerLogStatus}),
 * from what the pod's status says about the container.
 */
public final class NoKubeletLogs implements PodLogSource {

  @Override
  public CompletionStage<Opened> open(JsonNode pod, String container, LogOptions options) {
    return CompletableFuture.completedFuture(new Opened(null, refusal(pod, container, options.previous())));
  }

  /** The kubelet's 400 for a container that has no log to give. */
  static ApiError refusal(JsonNode pod, String container, boolean previous) {
    String podName = pod.path("metadata").path("name").asText();
    String where = "container \"" + container + "\" in pod \"" + podName + "\"";
    JsonNode status = statusOf(pod.path("status"), container);
    if (status == null) {
      return ApiError.badRequest(where + " is not available");
    }
    if (previous) {
      return ApiError.badRequest("previous terminated " + where + " not found");
    }
    JsonNode waiting = status.path("state").path("waiting");
    if (waiting.isObject()) {
      String reason = waiting.path("reason").asText("");
      return ApiError.badRequest(switch (reason) {
        case "ErrImagePull" -> where + " is waiting to start: image can't be pulled";
        case "ImagePullBackOff" -> where + " is waiting to start: trying and failing to pull image";
        default -> where + " is waiting to start: " + reason;
      });
    }
    return ApiError.badRequest(where + " is waiting to start - no logs yet");
  }

  private static JsonNode statusOf(JsonNode podStatus, String container) {
    for (String list : new String[] {"containerStatuses", "initContainerStatuses", "ephemeralContainerStatuses"}) {
      for (JsonNode s : podStatus.path(list)) {
        if (container.equals(s.path("name").asText())) {
          return s;
        }
      }
    }
    return null;
  }
}
