package io.pekkube.http.tables;

import static io.pekkube.http.tables.Cells.age;
import static io.pekkube.http.tables.Cells.integer;
import static io.pekkube.http.tables.Cells.name;
import static io.pekkube.http.tables.Cells.row;
import static io.pekkube.http.tables.Cells.text;
import static io.pekkube.http.tables.CorePrinters.desired;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Map;

/** Printers of apps/v1: Deployments, ReplicaSets, StatefulSets, DaemonSets, ControllerRevisions. */
final class AppsPrinters {
  private AppsPrinters() {}

  static Map<String, Printer> all() {
    return Map.of(
        "deployments.apps", deployment(),
        "replicasets.apps", replicaSet(),
        "statefulsets.apps", statefulSet(),
        "daemonsets.apps", daemonSet(),
        "controllerrevisions.apps", controllerRevision());
  }

  static Printer deployment() {
    return Printer.of((o, now) -> {
          JsonNode podSpec = podSpec(o);
          return row(name(o), integer(o, "status", "readyReplicas") + "/" + desired(o),
              integer(o, "status", "updatedReplicas"), integer(o, "status", "availableReplicas"), age(o, now),
              Cells.containers(podSpec), Cells.images(podSpec), Cells.selector(o.path("spec").path("selector")));
        },
        Column.nameColumn(),
        Column.text("Ready", "Number of the pod with ready state"),
        Column.text("Up-to-date", "Total number of non-terminated pods targeted by this deployment that have the"
            + " desired template spec."),
        Column.text("Available", "Total number of available pods (ready for at least minReadySeconds) targeted by"
            + " this deployment."),
        Column.ageColumn(),
        Column.text("Containers", Column.CONTAINERS_DOC).wide(),
        Column.text("Images", Column.IMAGES_DOC).wide(),
        Column.text("Selector", "Label selector for pods.").wide());
  }

  static Printer replicaSet() {
    return Printer.of((o, now) -> {
          JsonNode podSpec = podSpec(o);
          return row(name(o), desired(o), integer(o, "status", "replicas"), integer(o, "status", "readyReplicas"),
              age(o, now), Cells.containers(podSpec), Cells.images(podSpec),
              Cells.selector(o.path("spec").path("selector")));
        },
        Column.nameColumn(),
        Column.integer("Desired", "Replicas is the number of desired replicas."),
        Column.integer("Current", "Replicas is the most recently observed number of replicas."),
        Column.integer("Ready", "The number of ready replicas for this replica set."),
        Column.ageColumn(),
        Column.text("Containers", Column.CONTAINERS_DOC).wide(),
        Column.text("Images", Column.IMAGES_DOC).wide(),
        Column.text("Selector", "Selector is a label query over pods that should match the replica count.").wide());
  }

  static Printer statefulSet() {
    return Printer.of((o, now) -> {
          JsonNode podSpec = podSpec(o);
          return row(name(o), integer(o, "status", "readyReplicas") + "/" + desired(o), age(o, now),
              Cells.containers(podSpec), Cells.images(podSpec));
        },
        Column.nameColumn(),
        Column.text("Ready", "Number of the pod with ready state"),
        Column.ageColumn(),
        Column.text("Containers", Column.CONTAINERS_DOC).wide(),
        Column.text("Images", Column.IMAGES_DOC).wide());
  }

  static Printer daemonSet() {
    return Printer.of((o, now) -> {
          JsonNode podSpec = podSpec(o);
          JsonNode s = o.path("status");
          return row(name(o), integer(s, "desiredNumberScheduled"), integer(s, "currentNumberScheduled"),
              integer(s, "numberReady"), integer(s, "updatedNumberScheduled"), integer(s, "numberAvailable"),
              Cells.labels(podSpec.path("nodeSelector")), age(o, now), Cells.containers(podSpec),
              Cells.images(podSpec), Cells.formatSelector(o.path("spec").path("selector")));
        },
        Column.nameColumn(),
        Column.integer("Desired", "The total number of nodes that should be running the daemon pod."),
        Column.integer("Current", "The number of nodes that are running at least 1 daemon pod and are supposed to"
            + " run the daemon pod."),
        Column.integer("Ready", "The number of nodes that should be running the daemon pod and have one or more of"
            + " the daemon pod running with a Ready Condition."),
        Column.integer("Up-to-date", "The total number of nodes that are running updated daemon pod"),
        Column.integer("Available", "The number of nodes that should be running the daemon pod and have one or"
            + " more of the daemon pod running and available."),
        Column.text("Node Selector", "NodeSelector is a selector which must be true for the pod to fit on a node."),
        Column.ageColumn(),
        Column.text("Containers", Column.CONTAINERS_DOC).wide(),
        Column.text("Images", Column.IMAGES_DOC).wide(),
        Column.text("Selector", "A label query over pods that are managed by the daemon set.").wide());
  }

  static Printer controllerRevision() {
    return Printer.of((o, now) -> row(name(o), controller(o), integer(o, "revision"), age(o, now)),
        Column.nameColumn(),
        Column.text("Controller", "Controller of the object"),
        Column.text("Revision", "Revision indicates the revision of the state represented by Data."),
        Column.ageColumn());
  }

  /** "daemonset.apps/name" for the controlling owner, "&lt;none&gt;" without one. */
  static String controller(JsonNode object) {
    for (JsonNode ref : object.path("metadata").path("ownerReferences")) {
      if (ref.path("controller").asBoolean(false)) {
        String apiVersion = text(ref, "apiVersion");
        String group = apiVersion.contains("/") ? apiVersion.substring(0, apiVersion.indexOf('/')) : "";
        String kind = text(ref, "kind") + (group.isEmpty() ? "" : "." + group);
        return kind.toLowerCase(java.util.Locale.ROOT) + "/" + text(ref, "name");
      }
    }
    return Cells.NONE;
  }

  static JsonNode podSpec(JsonNode workload) {
    return workload.path("spec").path("template").path("spec");
  }
}
