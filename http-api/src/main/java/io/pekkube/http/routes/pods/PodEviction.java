package io.pekkube.http.routes.pods;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.pekkube.actors.api.ApiError;
import io.pekkube.actors.api.Json;
import io.pekkube.actors.api.selection.LabelSelector;
import io.pekkube.actors.api.selection.SelectorParseException;
import io.pekkube.actors.resources.ObjectWrites;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code pods/eviction}: the PodDisruptionBudget rules of Kubernetes' {@code EvictionREST}, as pure
 * functions. A pod that is not running (no phase yet, Pending, Succeeded, Failed) or already being
 * deleted is deleted without looking at budgets; otherwise the one budget selecting it must allow a
 * disruption, which the eviction then consumes.
 */
public final class PodEviction {
  public static final String NAME = "eviction";
  /** Kubernetes' {@code MaxDisruptedPodSize}. */
  static final int MAX_DISRUPTED_PODS = 2000;
  /** Kubernetes' suggested wait while a budget's status catches up with its spec. */
  static final int PROCESSING_RETRY_SECONDS = 10;
  static final String VIOLATION = "Cannot evict pod as it would violate the pod's disruption budget.";

  private PodEviction() {}

  /**
   * True when budgets do not apply. Pods here get no phase until a kubelet reports one, which means
   * the same as Pending: the pod is not serving, so evicting it disrupts nothing.
   */
  public static boolean ignoresBudgets(JsonNode pod) {
    String phase = pod.path("status").path("phase").asText("");
    return phase.isEmpty() || phase.equals("Pending") || phase.equals("Succeeded") || phase.equals("Failed")
        || pod.path("metadata").hasNonNull("deletionTimestamp");
  }

  /**
   * The budgets that select the pod. A budget with a nil or empty selector selects nothing here
   * (as in Kubernetes: an empty selector creeping in must not block every eviction).
   */
  public static List<JsonNode> budgetsFor(JsonNode pod, List<JsonNode> budgets) {
    List<JsonNode> out = new ArrayList<>();
    for (JsonNode pdb : budgets) {
      LabelSelector selector;
      try {
        selector = LabelSelector.fromJson(pdb.path("spec").get("selector"));
      } catch (SelectorParseException e) {
        continue;
      }
      if (!selector.isEmpty() && selector.matches(pod)) {
        out.add(pdb);
      }
    }
    return out;
  }

  /** Null when the budget allows one more disruption, else the error Kubernetes answers. */
  public static ApiError refusal(JsonNode pdb) {
    String name = Json.meta(pdb, "name");
    JsonNode status = pdb.path("status");
    if (status.path("observedGeneration").asLong(0) < pdb.path("metadata").path("generation").asLong(0)) {
      return tooManyRequests("The disruption budget " + name + " is still being processed by the server.",
          PROCESSING_RETRY_SECONDS);
    }
    long allowed = status.path("disruptionsAllowed").asLong(0);
    if (allowed < 0) {
      return forbidden(name, "pdb disruptions allowed is negative");
    }
    if (status.path("disruptedPods").size() > MAX_DISRUPTED_PODS) {
      return forbidden(name, "DisruptedPods map too big - too many evictions not confirmed by PDB controller");
    }
    if (allowed == 0) {
      return tooManyRequests("The disruption budget " + name + " needs " + status.path("desiredHealthy").asLong(0)
          + " healthy pods and has " + status.path("currentHealthy").asLong(0) + " currently", null);
    }
    return null;
  }

  /**
   * The budget after this eviction: one disruption fewer, the pod recorded in disruptedPods (so the
   * disruption controller does not count it as available), DisruptionAllowed False at zero.
   */
  public static ObjectNode consume(ObjectNode pdb, String podName, Instant now) {
    ObjectNode next = pdb.deepCopy();
    ObjectNode status = (ObjectNode) next.with("status");
    long allowed = status.path("disruptionsAllowed").asLong(0) - 1;
    status.put("disruptionsAllowed", allowed);
    ((ObjectNode) status.with("disruptedPods")).put(podName, ObjectWrites.timestamp(now));
    if (allowed == 0) {
      ObjectNode condition = null;
      for (JsonNode c : status.withArray("conditions")) {
        if ("DisruptionAllowed".equals(c.path("type").asText())) {
          condition = (ObjectNode) c;
        }
      }
      if (condition == null) {
        condition = status.withArray("conditions").addObject();
        condition.put("type", "DisruptionAllowed");
      }
      if (!"False".equals(condition.path("status").asText())) {
        condition.put("lastTransitionTime", ObjectWrites.timestamp(now));
      }
      condition.put("status", "False");
      condition.put("reason", "InsufficientPods");
      condition.put("message", "");
      condition.put("observedGeneration", status.path("observedGeneration").asLong(0));
    }
    return next;
  }

  public static ApiError moreThanOneBudget() {
    return ApiError.internal("This pod has more than one PodDisruptionBudget, which the eviction subresource does "
        + "not support.");
  }

  /**
   * Kubernetes suggests a retry only while the budget's status is being processed; a budget that
   * allows no disruption gets none (retryAfterSeconds 0 is left out, and so is the header).
   */
  private static ApiError tooManyRequests(String cause, Integer retryAfterSeconds) {
    return new ApiError(429, "TooManyRequests", VIOLATION,
        new ApiError.Details("", "", "", List.of(new ApiError.Cause("DisruptionBudget", cause, null))),
        retryAfterSeconds);
  }

  private static ApiError forbidden(String pdbName, String why) {
    return new ApiError(403, "Forbidden", "poddisruptionbudgets.policy \"" + pdbName + "\" is forbidden: " + why,
        new ApiError.Details(pdbName, "policy", "poddisruptionbudgets", List.of()), null);
  }
}
