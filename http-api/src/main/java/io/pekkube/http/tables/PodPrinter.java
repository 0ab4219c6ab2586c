package io.pekkube.http.tables;

import static io.pekkube.http.tables.Cells.NONE;
import static io.pekkube.http.tables.Cells.at;
import static io.pekkube.http.tables.Cells.integer;
import static io.pekkube.http.tables.Cells.present;
import static io.pekkube.http.tables.Cells.text;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Pods: NAME READY STATUS RESTARTS AGE (+ IP NODE NOMINATED NODE READINESS GATES). STATUS is the
 * reason Kubernetes' {@code printPod} derives from phase, init containers and containers
 * ({@code ContainerCreating}, {@code CrashLoopBackOff}, {@code Init:0/1}, {@code Completed},
 * {@code Terminating}, ...).
 */
final class PodPrinter {
  private PodPrinter() {}

  static Printer printer() {
    return Printer.of(PodPrinter::cells,
        Column.nameColumn(),
        Column.text("Ready", "The aggregate readiness state of this pod for accepting traffic."),
        Column.text("Status", "The aggregate status of the containers in this pod."),
        Column.text("Restarts", "The number of times the containers in this pod have been restarted and when the"
            + " last container in this pod has restarted."),
        Column.ageColumn(),
        Column.text("IP", "podIP address allocated to the pod. Routable at least within the cluster.").wide(),
        Column.text("Node", "NodeName indicates in which node this pod is scheduled.").wide(),
        Column.text("Nominated Node", "nominatedNodeName is set only when this pod preempts other pods on the"
            + " node.").wide(),
        Column.text("Readiness Gates", "If specified, all readiness gates will be evaluated for pod readiness.")
            .wide());
  }

  static List<Object> cells(JsonNode pod, Instant now) {
    JsonNode spec = pod.path("spec");
    JsonNode status = pod.path("status");
    long restarts = 0;
    long restartableInitRestarts = 0;
    int total = spec.path("containers").size();
    int ready = 0;
    Instant lastRestart = null;
    Instant lastRestartableInitRestart = null;

    String phase = text(status, "phase");
    String reason = text(status, "reason").isEmpty() ? phase : text(status, "reason");
    for (JsonNode c : status.path("conditions")) {
      if (text(c, "type").equals("PodScheduled") && text(c, "reason").equals("SchedulingGated")) {
        reason = "SchedulingGated";
      }
    }

    Map<String, JsonNode> initContainers = new HashMap<>();
    for (JsonNode c : spec.path("initContainers")) {
      initContainers.put(text(c, "name"), c);
      if (restartable(c)) {
        total++;
      }
    }

    boolean initializing = false;
    JsonNode initStatuses = status.path("initContainerStatuses");
    for (int i = 0; i < initStatuses.size(); i++) {
      JsonNode c = initStatuses.get(i);
      restarts += integer(c, "restartCount");
      lastRestart = later(lastRestart, text(c, "lastState", "terminated", "finishedAt"));
      boolean isRestartable = restartable(initContainers.get(text(c, "name")));
      if (isRestartable) {
        restartableInitRestarts += integer(c, "restartCount");
        lastRestartableInitRestart =
            later(lastRestartableInitRestart, text(c, "lastState", "terminated", "finishedAt"));
      }
      JsonNode terminated = at(c, "state", "terminated");
      JsonNode waiting = at(c, "state", "waiting");
      if (present(terminated) && integer(terminated, "exitCode") == 0) {
        continue;
      } else if (isRestartable && c.path("started").asBoolean(false)) {
        if (c.path("ready").asBoolean(false)) {
          ready++;
        }
        continue;
      } else if (present(terminated)) {
        if (text(terminated, "reason").isEmpty()) {
          reason = integer(terminated, "signal") != 0
              ? "Init:Signal:" + integer(terminated, "signal")
              : "Init:ExitCode:" + integer(terminated, "exitCode");
        } else {
          reason = "Init:" + text(terminated, "reason");
        }
      } else if (present(waiting) && !text(waiting, "reason").isEmpty()
          && !text(waiting, "reason").equals("PodInitializing")) {
        reason = "Init:" + text(waiting, "reason");
      } else {
        reason = "Init:" + i + "/" + spec.path("initContainers").size();
      }
      initializing = true;
      break;
    }

    if (!initializing || conditionTrue(status, "Initialized")) {
      restarts = restartableInitRestarts;
      lastRestart = lastRestartableInitRestart;
      boolean hasRunning = false;
      JsonNode statuses = status.path("containerStatuses");
      for (int i = statuses.size() - 1; i >= 0; i--) {
        JsonNode c = statuses.get(i);
        restarts += integer(c, "restartCount");
        lastRestart = later(lastRestart, text(c, "lastState", "terminated", "finishedAt"));
        JsonNode terminated = at(c, "state", "terminated");
        JsonNode waiting = at(c, "state", "waiting");
        if (present(waiting) && !text(waiting, "reason").isEmpty()) {
          reason = text(waiting, "reason");
        } else if (present(terminated) && !text(terminated, "reason").isEmpty()) {
          reason = text(terminated, "reason");
        } else if (present(terminated)) {
          reason = integer(terminated, "signal") != 0
              ? "Signal:" + integer(terminated, "signal")
              : "ExitCode:" + integer(terminated, "exitCode");
        } else if (c.path("ready").asBoolean(false) && present(c, "state", "running")) {
          hasRunning = true;
          ready++;
        }
      }
      // Completed with a container still running: partly done.
      if (reason.equals("Completed") && hasRunning) {
        reason = conditionTrue(status, "Ready") ? "Running" : "NotReady";
      }
    }

    boolean deleting = present(pod, "metadata", "deletionTimestamp");
    if (deleting && text(status, "reason").equals("NodeLost")) {
      reason = "Unknown";
    } else if (deleting && !phase.equals("Succeeded") && !phase.equals("Failed")) {
      reason = "Terminating";
    }

    String restartCell = Long.toString(restarts);
    if (restarts != 0 && lastRestart != null) {
      restartCell = restarts + " (" + HumanDuration.format(java.time.Duration.between(lastRestart, now)) + " ago)";
    }

    return Cells.row(Cells.name(pod), ready + "/" + total, reason, restartCell, Cells.age(pod, now),
        Cells.orNone(podIp(status)), Cells.orNone(text(spec, "nodeName")),
        Cells.orNone(text(status, "nominatedNodeName")), readinessGates(spec, status));
  }

  private static String podIp(JsonNode status) {
    String first = text(status.path("podIPs").path(0), "ip");
    return first.isEmpty() ? text(status, "podIP") : first;
  }

  private static String readinessGates(JsonNode spec, JsonNode status) {
    JsonNode gates = spec.path("readinessGates");
    if (gates.size() == 0) {
      return NONE;
    }
    int met = 0;
    for (JsonNode gate : gates) {
      if (conditionTrue(status, text(gate, "conditionType"))) {
        met++;
      }
    }
    return met + "/" + gates.size();
  }

  private static boolean restartable(JsonNode initContainer) {
    return initContainer != null && text(initContainer, "restartPolicy").equals("Always");
  }

  private static boolean conditionTrue(JsonNode status, String type) {
    for (JsonNode c : status.path("conditions")) {
      if (text(c, "type").equals(type)) {
        return text(c, "status").equals("True");
      }
    }
    return false;
  }

  private static Instant later(Instant current, String timestamp) {
    if (timestamp.isEmpty()) {
      return current;
    }
    try {
      Instant t = Instant.parse(timestamp);
      return current == null || t.isAfter(current) ? t : current;
    } catch (java.time.format.DateTimeParseException e) {
      return current;
    }
  }
}
