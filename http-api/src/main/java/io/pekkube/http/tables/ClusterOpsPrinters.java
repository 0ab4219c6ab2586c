package io.pekkube.http.tables;

import static io.pekkube.http.tables.Cells.age;
import static io.pekkube.http.tables.Cells.integer;
import static io.pekkube.http.tables.Cells.name;
import static io.pekkube.http.tables.Cells.present;
import static io.pekkube.http.tables.Cells.row;
import static io.pekkube.http.tables.Cells.text;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Printers of the small operational groups: coordination.k8s.io Leases, policy
 * PodDisruptionBudgets and autoscaling HorizontalPodAutoscalers.
 */
final class ClusterOpsPrinters {
  private ClusterOpsPrinters() {}

  static Map<String, Printer> all() {
    return Map.of(
        "leases.coordination.k8s.io", lease(),
        "poddisruptionbudgets.policy", podDisruptionBudget(),
        "horizontalpodautoscalers.autoscaling", horizontalPodAutoscaler());
  }

  static Printer lease() {
    return Printer.of((o, now) -> row(name(o), text(o, "spec", "holderIdentity"), age(o, now)),
        Column.nameColumn(),
        Column.text("Holder", "holderIdentity contains the identity of the holder of a current lease."),
        Column.ageColumn());
  }

  static Printer podDisruptionBudget() {
    return Printer.of((o, now) -> {
          JsonNode spec = o.path("spec");
          return row(name(o), present(spec, "minAvailable") ? spec.path("minAvailable").asText() : "N/A",
              present(spec, "maxUnavailable") ? spec.path("maxUnavailable").asText() : "N/A",
              integer(o, "status", "disruptionsAllowed"), age(o, now));
        },
        Column.nameColumn(),
        Column.text("Min Available", "The minimum number of pods that must be available."),
        Column.text("Max Unavailable", "The maximum number of pods that may be unavailable."),
        Column.integer("Allowed Disruptions", "Calculated number of pods that may be disrupted at this time."),
        Column.ageColumn());
  }

  static Printer horizontalPodAutoscaler() {
    return Printer.of((o, now) -> {
          JsonNode spec = o.path("spec");
          JsonNode target = spec.path("scaleTargetRef");
          String min = present(spec, "minReplicas") ? spec.path("minReplicas").asText() : "<unset>";
          return row(name(o), text(target, "kind") + "/" + text(target, "name"), metrics(o), min,
              integer(spec, "maxReplicas"), integer(o, "status", "currentReplicas"), age(o, now));
        },
        Column.nameColumn(),
        Column.text("Reference", "reference to scaled resource; horizontal pod autoscaler will learn the current"
            + " resource consumption and will set the desired number of pods by using its Scale subresource."),
        Column.text("Targets", "metrics contains the specifications for which to use to calculate the desired"
            + " replica count."),
        Column.text("MinPods", "minReplicas is the lower limit for the number of replicas to which the autoscaler"
            + " can scale down."),
        Column.text("MaxPods", "maxReplicas is the upper limit for the number of replicas to which the autoscaler"
            + " can scale up."),
        Column.text("Replicas", "currentReplicas is current number of replicas of pods managed by this"
            + " autoscaler."),
        Column.ageColumn());
  }

  /** Resource metrics as "cpu: current/target" (utilization in %), "&lt;none&gt;" without metrics. */
  private static String metrics(JsonNode hpa) {
    JsonNode specs = hpa.path("spec").path("metrics");
    if (specs.size() == 0) {
      return Cells.NONE;
    }
    List<String> out = new ArrayList<>();
    for (JsonNode m : specs) {
      if (out.size() == 2) {
        return String.join(", ", out) + " + " + (specs.size() - 2) + " more...";
      }
      JsonNode resource = m.path("resource");
      if (text(m, "type").equals("Resource")) {
        String resourceName = text(resource, "name");
        String current = "<unknown>";
        for (JsonNode c : hpa.path("status").path("currentMetrics")) {
          if (text(c, "resource", "name").equals(resourceName)) {
            current = present(c, "resource", "current", "averageUtilization")
                ? integer(c, "resource", "current", "averageUtilization") + "%"
                : text(c, "resource", "current", "averageValue");
          }
        }
        JsonNode t = resource.path("target");
        String goal = present(t, "averageUtilization") ? integer(t, "averageUtilization") + "%"
            : text(t, "averageValue");
        out.add(resourceName + ": " + current + "/" + goal);
      } else {
        out.add(Cells.UNKNOWN);
      }
    }
    return String.join(", ", out);
  }
}
