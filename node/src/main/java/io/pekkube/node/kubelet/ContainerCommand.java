package io.pekkube.node.kubelet;

import com.fasterxml.jackson.databind.JsonNode;
import io.pekkube.node.runtime.ContainerRuntime.ImageConfig;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A container's command line as a container runtime builds it from the pod and the image: the pod's
 * {@code command} replaces the image's entrypoint (and drops its cmd), the pod's {@code args} replace
 * the image's cmd; {@code $(VAR)} references in both are expanded from the container's environment
 * first ({@code ExpandContainerCommandAndArgs}).
 */
public final class ContainerCommand {
  private ContainerCommand() {}

  public static List<String> resolve(JsonNode container, ImageConfig image, Map<String, String> env) {
    List<String> command = strings(container.path("command"), env);
    List<String> args = strings(container.path("args"), env);
    List<String> entrypoint = image == null || image.entrypoint() == null ? List.of() : image.entrypoint();
    List<String> cmd = image == null || image.cmd() == null ? List.of() : image.cmd();
    List<String> out = new ArrayList<>();
    if (!command.isEmpty()) {
      out.addAll(command);
      out.addAll(args);
    } else {
      out.addAll(entrypoint);
      out.addAll(container.has("args") ? args : cmd);
    }
    return out;
  }

  private static List<String> strings(JsonNode list, Map<String, String> env) {
    List<String> out = new ArrayList<>();
    list.forEach(v -> out.add(EnvResolution.expand(v.asText(""), env)));
    return out;
  }
}
