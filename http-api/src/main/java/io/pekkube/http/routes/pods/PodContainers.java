package io.pekkube.http.routes.pods;

import com.fasterxml.jackson.databind.JsonNode;
import io.pekkube.actors.api.ApiError;
import java.util.ArrayList;
import java.util.List;

/** Which container of a pod a log or stream request means, with the messages Kubernetes gives. */
public final class PodContainers {

  private PodContainers() {}

  /** The chosen container's name, or the 400 to answer. */
  public record Choice(String container, ApiError error) {}

  /** {@code validateContainer} of the pod log registry. */
  public static Choice forLogs(JsonNode pod, String requested) {
    String name = pod.path("metadata").path("name").asText();
    if (requested.isEmpty()) {
      List<String> containers = names(pod.path("spec").path("containers"));
      if (containers.size() == 1) {
        return new Choice(containers.get(0), null);
      }
      if (containers.isEmpty()) {
        return refuse("a container name must be specified for pod " + name);
      }
      List<String> all = new ArrayList<>(names(pod.path("spec").path("initContainers")));
      all.addAll(containers);
      all.addAll(names(pod.path("spec").path("ephemeralContainers")));
      return refuse("a container name must be specified for pod " + name + ", choose one of: ["
          + String.join(" ", all) + "]");
    }
    return has(pod, requested) ? new Choice(requested, null)
        : refuse("container " + requested + " is not valid for pod " + name);
  }

  /** {@code streamLocation} of exec and attach. */
  public static Choice forStreams(JsonNode pod, String requested) {
    String name = pod.path("metadata").path("name").asText();
    if (requested.isEmpty()) {
      List<String> containers = names(pod.path("spec").path("containers"));
      if (containers.size() == 1) {
        return new Choice(containers.get(0), null);
      }
      if (containers.isEmpty()) {
        return refuse("a container name must be specified for pod " + name);
      }
      String message = "a container name must be specified for pod " + name + ", choose one of: ["
          + String.join(" ", containers) + "]";
      List<String> init = names(pod.path("spec").path("initContainers"));
      if (!init.isEmpty()) {
        message += " or one of the init containers: [" + String.join(" ", init) + "]";
      }
      return refuse(message);
    }
    return has(pod, requested) ? new Choice(requested, null)
        : refuse("container " + requested + " is not valid for pod " + name);
  }

  private static boolean has(JsonNode pod, String container) {
    for (String list : List.of("containers", "initContainers", "ephemeralContainers")) {
      if (names(pod.path("spec").path(list)).contains(container)) {
        return true;
      }
    }
    return false;
  }

  private static List<String> names(JsonNode containers) {
    List<String> out = new ArrayList<>();
    containers.forEach(c -> out.add(c.path("name").asText()));
    return out;
  }

  private static Choice refuse(String message) {
    return new Choice("", ApiError.badRequest(message));
  }
}
