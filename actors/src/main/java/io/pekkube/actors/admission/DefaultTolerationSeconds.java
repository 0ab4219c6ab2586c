package io.pekkube.actors.admission;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.typesafe.config.Config;

/**
 * Kubernetes' DefaultTolerationSeconds admission plugin: a new pod that does not tolerate the
 * {@code node.kubernetes.io/not-ready} or {@code node.kubernetes.io/unreachable} NoExecute taints gets a
 * toleration of each for {@code seconds}, so that it is evicted from a lost node after that time rather
 * than at once. A toleration of its own with the key (or no key) and the NoExecute effect (or none) counts.
 * It is admission, not defaulting, because the time is the cluster's setting
 * ({@code pekkube.admission.default-toleration-seconds}; Kubernetes' default is 300).
 */
public record DefaultTolerationSeconds(long seconds) {

  static final String NOT_READY = "node.kubernetes.io/not-ready";
  static final String UNREACHABLE = "node.kubernetes.io/unreachable";

  public static DefaultTolerationSeconds from(Config config) {
    return new DefaultTolerationSeconds(config.getLong("pekkube.admission.default-toleration-seconds"));
  }

  /** Adds the missing tolerations to the pod in place. */
  public void admit(ObjectNode pod) {
    ObjectNode spec = pod.with("spec");
    JsonNode existing = spec.path("tolerations");
    boolean notReady = toleratesNoExecute(existing, NOT_READY);
    boolean unreachable = toleratesNoExecute(existing, UNREACHABLE);
    if (notReady && unreachable) {
      return;
    }
    ArrayNode tolerations = existing instanceof ArrayNode a ? a : spec.putArray("tolerations");
    if (!notReady) {
      add(tolerations, NOT_READY);
    }
    if (!unreachable) {
      add(tolerations, UNREACHABLE);
    }
  }

  private static boolean toleratesNoExecute(JsonNode tolerations, String key) {
    for (JsonNode t : tolerations) {
      String k = t.path("key").asText("");
      String effect = t.path("effect").asText("");
      if ((k.equals(key) || k.isEmpty()) && (effect.equals("NoExecute") || effect.isEmpty())) {
        return true;
      }
    }
    return false;
  }

  private void add(ArrayNode tolerations, String key) {
    ObjectNode t = tolerations.addObject();
    t.put("key", key);
    t.put("operator", "Exists");
    t.put("effect", "NoExecute");
    t.put("tolerationSeconds", seconds);
  }
}
