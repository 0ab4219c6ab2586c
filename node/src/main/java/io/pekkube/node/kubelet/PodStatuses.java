package io.pekkube.node.kubelet;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.pekkube.actors.api.Json;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;

/**
 * A pod's status from what the kubelet observed of its containers, as the kubelet's
 * {@code generateAPIPodStatus} computes it: the phase ({@code getPhase}), the conditions
 * (PodScheduled, Initialized, ContainersReady, Ready, keeping a condition's lastTransitionTime while
 * its status stays), container statuses, addresses, startTime and the QoS class. Pure: the same
 * observation gives the same status, so the kubelet writes only when something really changed.
 */
public final class PodStatuses {

  /** The node's facts and the pod's start, which a status carries. */
  public record Placement(String hostIp, String podIp, Instant startTime) {}

  private PodStatuses() {}

  public static ObjectNode compute(JsonNode pod, List<ContainerView> init, List<ContainerView> main,
      Placement placement, Instant now) {
    return compute(pod, init, main, placement, true, now, false);
  }

  /**
   * {@code terminal}: the kubelet has stopped every container of a pod being deleted and reports its
   * final status, whose phase is Succeeded or Failed whatever the restart policy (as the kubelet does
   * since Kubernetes 1.27).
   */
  public static ObjectNode compute(JsonNode pod, List<ContainerView> init, List<ContainerView> main,
      Placement placement, Instant now, boolean terminal) {
    return compute(pod, init, main, placement, true, now, terminal);
  }

  /**
   * The status; {@code readyToStartContainers} is false while the pod's volumes are not set up (the
   * kubelet creates the sandbox only after they are mounted).
   */
  public static ObjectNode compute(JsonNode pod, List<ContainerView> init, List<ContainerView> main,
      Placement placement, boolean readyToStartContainers, Instant now) {
    return compute(pod, init, main, placement, readyToStartContainers, now, false);
  }

  /** The status, with both of the above. */
  public static ObjectNode compute(JsonNode pod, List<ContainerView> init, List<ContainerView> main,
      Placement placement, boolean readyToStartContainers, Instant now, boolean terminal) {
    return compute(new Basis(pod.path("status"), pod.path("spec").path("restartPolicy").asText("Always"),
        qosClass(pod)), init, main, placement, readyToStartContainers, now, terminal);
  }

  /**
   * What the status is computed from besides the containers: the status before (its phase, its
   * conditions' transition times, its QoS class), the restart policy and the QoS class of the spec.
   */
  public record Basis(JsonNode previousStatus, String restartPolicy, String qosClass) {}

  /** The status from what a pod worker keeps of its pod rather than the whole pod. */
  public static ObjectNode compute(Basis basis, List<ContainerView> init, List<ContainerView> main,
      Placement placement, boolean readyToStartContainers, Instant now, boolean terminal) {
    JsonNode previous = basis.previousStatus();
    String restartPolicy = basis.restartPolicy();
    String phase = phase(previous.path("phase").asText(""), init, main, restartPolicy);
    if (terminal) {
      phase = terminalPhase(phase, main);
    }
    ObjectNode status = Json.object();
    status.put("phase", phase);
    List<String> notInitialized = new ArrayList<>();
    for (ContainerView c : init) {
      if (!c.succeeded()) {
        notInitialized.add(c.name());
      }
    }
    boolean initialized = notInitialized.isEmpty() || phase.equals("Succeeded");
    List<String> unready = new ArrayList<>();
    for (ContainerView c : main) {
      if (!c.ready()) {
        unready.add(c.name());
      }
    }
    ArrayNode conditions = status.putArray("conditions");
    boolean completed = phase.equals("Succeeded") || phase.equals("Failed");
    String readyReason = completed ? "PodCompleted" : !initialized ? "ContainersNotInitialized" : "ContainersNotReady";
    String readyMessage = completed ? null : !initialized
        ? "containers with incomplete status: [" + String.join(" ", notInitialized) + "]"
        : "containers with unready status: [" + String.join(" ", unready) + "]";
    boolean ready = unready.isEmpty() && initialized && !completed;
    condition(conditions, previous, "PodReadyToStartContainers", readyToStartContainers, null, null, now);
    condition(conditions, previous, "Initialized", initialized,
        initialized ? null : "ContainersNotInitialized",
        initialized ? null : "containers with incomplete status: [" + String.join(" ", notInitialized) + "]", now);
    condition(conditions, previous, "Ready", ready, ready ? null : readyReason, ready ? null : readyMessage, now);
    condition(conditions, previous, "ContainersReady", ready, ready ? null : readyReason,
        ready ? null : readyMessage, now);
    condition(conditions, previous, "PodScheduled", true, null, null, now);
    status.put("hostIP", placement.hostIp());
    status.putArray("hostIPs").addObject().put("ip", placement.hostIp());
    status.put("podIP", placement.podIp());
    status.putArray("podIPs").addObject().put("ip", placement.podIp());
    status.put("startTime", time(placement.startTime()));
    if (!init.isEmpty()) {
      ArrayNode statuses = status.putArray("initContainerStatuses");
      init.forEach(c -> statuses.add(containerStatus(c)));
    }
    ArrayNode statuses = status.putArray("containerStatuses");
    main.forEach(c -> statuses.add(containerStatus(c)));
    status.put("qosClass", previous.path("qosClass").asText(basis.qosClass()));
    return status;
  }

  /** {@code getPhase}; a pod that reached Succeeded or Failed stays there. */
  static String phase(String previous, List<ContainerView> init, List<ContainerView> main, String restartPolicy) {
    if (previous.equals("Succeeded") || previous.equals("Failed")) {
      return previous;
    }
    boolean pendingInitialization = false;
    for (ContainerView c : init) {
      if (c.succeeded()) {
        continue;
      }
      if (c.state() instanceof ContainerView.Terminated && restartPolicy.equals("Never")) {
        return "Failed";
      }
      pendingInitialization = true;
    }
    if (pendingInitialization) {
      return "Pending";
    }
    int running = 0;
    int waiting = 0;
    int stopped = 0;
    int succeeded = 0;
    for (ContainerView c : main) {
      if (c.state() instanceof ContainerView.Running) {
        running++;
      } else if (c.state() instanceof ContainerView.Terminated t) {
        stopped++;
        if (t.termination().exitCode() == 0) {
          succeeded++;
        }
      } else if (c.lastTermination() != null) {
        stopped++;
      } else {
        waiting++;
      }
    }
    if (waiting > 0) {
      return "Pending";
    }
    if (running > 0) {
      return "Running";
    }
    if (stopped > 0) {
      if (restartPolicy.equals("Always")) {
        return "Running";
      }
      if (stopped == succeeded) {
        return "Succeeded";
      }
      return restartPolicy.equals("Never") ? "Failed" : "Running";
    }
    return "Pending";
  }

  /** {@code getPhase} of a terminal pod: Succeeded when every app container exited 0, else Failed. */
  static String terminalPhase(String phase, List<ContainerView> main) {
    if (phase.equals("Succeeded") || phase.equals("Failed")) {
      return phase;
    }
    boolean allSucceeded = !main.isEmpty() && main.stream().allMatch(c ->
        c.state() instanceof ContainerView.Terminated t && t.termination().exitCode() == 0);
    return allSucceeded ? "Succeeded" : "Failed";
  }

  private static void condition(ArrayNode conditions, JsonNode previousStatus, String type, boolean value,
      String reason, String message, Instant now) {
    String status = value ? "True" : "False";
    String since = time(now);
    for (JsonNode c : previousStatus.path("conditions")) {
      if (type.equals(c.path("type").asText()) && status.equals(c.path("status").asText())
          && c.hasNonNull("lastTransitionTime")) {
        since = c.path("lastTransitionTime").asText();
      }
    }
    ObjectNode c = conditions.addObject();
    c.put("type", type);
    c.put("status", status);
    c.putNull("lastProbeTime");
    c.put("lastTransitionTime", since);
    if (reason != null) {
      c.put("reason", reason);
    }
    if (message != null) {
      c.put("message", message);
    }
  }

  private static ObjectNode containerStatus(ContainerView c) {
    ObjectNode s = Json.object();
    s.put("name", c.name());
    ObjectNode state = s.putObject("state");
    if (c.state() instanceof ContainerView.Waiting w) {
      ObjectNode waiting = state.putObject("waiting");
      waiting.put("reason", w.reason());
      if (w.message() != null && !w.message().isEmpty()) {
        waiting.put("message", w.message());
      }
    } else if (c.state() instanceof ContainerView.Running r) {
      state.putObject("running").put("startedAt", time(r.startedAt()));
    } else if (c.state() instanceof ContainerView.Terminated t) {
      terminated(state.putObject("terminated"), t.termination());
    }
    ObjectNode last = s.putObject("lastState");
    if (c.lastTermination() != null) {
      terminated(last.putObject("terminated"), c.lastTermination());
    }
    s.put("ready", c.ready());
    s.put("restartCount", c.restartCount());
    s.put("image", c.image());
    s.put("imageID", c.imageId());
    if (!c.containerId().isEmpty()) {
      s.put("containerID", c.containerId());
    }
    s.put("started", c.started());
    return s;
  }

  private static void terminated(ObjectNode t, ContainerView.Termination termination) {
    t.put("exitCode", termination.exitCode());
    t.put("reason", termination.reason());
    if (termination.message() != null && !termination.message().isEmpty()) {
      t.put("message", termination.message());
    }
    t.put("startedAt", time(termination.startedAt()));
    t.put("finishedAt", time(termination.finishedAt()));
    t.put("containerID", termination.containerId());
  }

  /** {@code GetPodQOS}: Guaranteed when every container limits and requests cpu and memory equally. */
  static String qosClass(JsonNode pod) {
    boolean any = false;
    boolean guaranteed = true;
    List<JsonNode> containers = new ArrayList<>();
    pod.path("spec").path("containers").forEach(containers::add);
    pod.path("spec").path("initContainers").forEach(containers::add);
    for (JsonNode c : containers) {
      JsonNode limits = c.path("resources").path("limits");
      JsonNode requests = c.path("resources").path("requests");
      if (limits.size() > 0 || requests.size() > 0) {
        any = true;
      }
      for (String r : new String[] {"cpu", "memory"}) {
        String limit = limits.path(r).asText("");
        String request = requests.path(r).asText(limit);
        if (limit.isEmpty() || !sameQuantity(limit, request)) {
          guaranteed = false;
        }
      }
    }
    return !any ? "BestEffort" : guaranteed ? "Guaranteed" : "Burstable";
  }

  private static boolean sameQuantity(String a, String b) {
    try {
      return new io.kubernetes.client.custom.Quantity(a).getNumber()
          .compareTo(new io.kubernetes.client.custom.Quantity(b).getNumber()) == 0;
    } catch (RuntimeException e) {
      return a.equals(b);
    }
  }

  public static String time(Instant t) {
    return t == null ? null : t.truncatedTo(ChronoUnit.SECONDS).toString();
  }
}
