package io.pekkube.http.tables;

import static io.pekkube.http.tables.Cells.NONE;
import static io.pekkube.http.tables.Cells.age;
import static io.pekkube.http.tables.Cells.integer;
import static io.pekkube.http.tables.Cells.name;
import static io.pekkube.http.tables.Cells.orNone;
import static io.pekkube.http.tables.Cells.row;
import static io.pekkube.http.tables.Cells.size;
import static io.pekkube.http.tables.Cells.text;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/** Printers of the core group's configuration, service and node types (pods: {@link PodPrinter}). */
final class CorePrinters {
  private CorePrinters() {}

  static Map<String, Printer> all() {
    return Map.of(
        "configmaps", configMap(),
        "secrets", secret(),
        "namespaces", namespace(),
        "serviceaccounts", serviceAccount(),
        "endpoints", endpoints(),
        "resourcequotas", resourceQuota(),
        "services", service(),
        "nodes", node(),
        "replicationcontrollers", replicationController());
  }

  static Printer configMap() {
    return Printer.of((o, now) -> row(name(o), size(o.path("data")) + size(o.path("binaryData")), age(o, now)),
        Column.nameColumn(),
        Column.text("Data", "Data contains the configuration data."),
        Column.ageColumn());
  }

  static Printer secret() {
    return Printer.of((o, now) -> row(name(o), text(o, "type"), size(o.path("data")), age(o, now)),
        Column.nameColumn(),
        Column.text("Type", "Used to facilitate programmatic handling of secret data."),
        Column.text("Data", "Data contains the secret data."),
        Column.ageColumn());
  }

  static Printer namespace() {
    return Printer.of((o, now) -> row(name(o), text(o, "status", "phase"), age(o, now)),
        Column.nameColumn(),
        Column.text("Status", "The status of the namespace"),
        Column.ageColumn());
  }

  static Printer serviceAccount() {
    return Printer.of((o, now) -> row(name(o), size(o.path("secrets")), age(o, now)),
        Column.nameColumn(),
        Column.text("Secrets", "Secrets is a list of the secrets in the same namespace that pods running using"
            + " this ServiceAccount are allowed to use."),
        Column.ageColumn());
  }

  static Printer endpoints() {
    return Printer.of((o, now) -> row(name(o), formatEndpoints(o), age(o, now)),
        Column.nameColumn(),
        Column.text("Endpoints", "The set of all endpoints is the union of all subsets."),
        Column.ageColumn());
  }

  /** At most three "ip:port" (or "ip" for a subset without ports), then " + N more...". */
  static String formatEndpoints(JsonNode endpoints) {
    JsonNode subsets = endpoints.path("subsets");
    if (subsets.size() == 0) {
      return NONE;
    }
    List<String> list = new ArrayList<>();
    int max = 3;
    boolean more = false;
    int count = 0;
    for (JsonNode ss : subsets) {
      JsonNode addresses = ss.path("addresses");
      if (ss.path("ports").size() == 0) {
        count += addresses.size();
        for (JsonNode a : addresses) {
          if (list.size() == max) {
            more = true;
            break;
          }
          list.add(text(a, "ip"));
        }
      } else {
        for (JsonNode port : ss.path("ports")) {
          count += addresses.size();
          for (JsonNode a : addresses) {
            if (list.size() == max) {
              more = true;
              break;
            }
            String ip = text(a, "ip");
            list.add((ip.contains(":") ? "[" + ip + "]" : ip) + ":" + integer(port, "port"));
          }
        }
      }
    }
    String joined = String.join(",", list);
    return more ? joined + " + " + (count - max) + " more..." : joined;
  }

  static Printer resourceQuota() {
    return Printer.of((o, now) -> {
          StringBuilder requests = new StringBuilder();
          StringBuilder limits = new StringBuilder();
          JsonNode hard = o.path("status").path("hard");
          JsonNode used = o.path("status").path("used");
          for (String resource : new TreeSet<>(fieldNames(hard))) {
            StringBuilder w = resource.startsWith("limits.") ? limits : requests;
            String usedQuantity = used.has(resource) ? used.path(resource).asText() : "0";
            w.append(resource).append(": ").append(usedQuantity).append('/').append(hard.path(resource).asText())
                .append(", ");
          }
          return row(name(o), trimComma(requests), trimComma(limits), age(o, now));
        },
        Column.nameColumn(),
        Column.text("Request", "Request represents a minimum amount of cpu/memory that a container may consume."),
        Column.text("Limit", "Limits control the maximum amount of cpu/memory that a container may use independent"
            + " of contention on the node."),
        Column.ageColumn());
  }

  private static List<String> fieldNames(JsonNode node) {
    List<String> names = new ArrayList<>();
    node.fieldNames().forEachRemaining(names::add);
    return names;
  }

  private static String trimComma(StringBuilder b) {
    String s = b.toString();
    return s.endsWith(", ") ? s.substring(0, s.length() - 2) : s;
  }

  static Printer service() {
    return Printer.of((o, now) -> {
          JsonNode spec = o.path("spec");
          String type = text(spec, "type").isEmpty() ? "ClusterIP" : text(spec, "type");
          return row(name(o), type, orNone(text(spec, "clusterIP")), externalIp(type, o), ports(spec), age(o, now),
              Cells.labels(spec.path("selector")));
        },
        Column.nameColumn(),
        Column.text("Type", "type determines how the Service is exposed."),
        Column.text("Cluster-IP", "clusterIP is the IP address of the service."),
        Column.text("External-IP", "externalIPs is a list of IP addresses for which nodes in the cluster will also"
            + " accept traffic for this service."),
        Column.text("Port(s)", "The list of ports that are exposed by this service."),
        Column.ageColumn(),
        Column.text("Selector", "Route service traffic to pods with label keys and values matching this"
            + " selector.").wide());
  }

  private static String externalIp(String type, JsonNode svc) {
    List<String> external = Cells.strings(svc.path("spec").path("externalIPs"));
    switch (type) {
      case "ClusterIP", "NodePort" -> {
        return external.isEmpty() ? NONE : String.join(",", external);
      }
      case "LoadBalancer" -> {
        List<String> lb = new ArrayList<>();
        for (JsonNode ingress : svc.path("status").path("loadBalancer").path("ingress")) {
          if (!text(ingress, "ip").isEmpty()) {
            lb.add(text(ingress, "ip"));
          } else if (!text(ingress, "hostname").isEmpty()) {
            lb.add(text(ingress, "hostname"));
          }
        }
        List<String> all = new ArrayList<>(external);
        all.addAll(lb);
        return all.isEmpty() ? "<pending>" : String.join(",", all);
      }
      case "ExternalName" -> {
        return text(svc, "spec", "externalName");
      }
      default -> {
        return Cells.UNKNOWN;
      }
    }
  }

  private static String ports(JsonNode spec) {
    List<String> out = new ArrayList<>();
    for (JsonNode p : spec.path("ports")) {
      String protocol = text(p, "protocol").isEmpty() ? "TCP" : text(p, "protocol");
      long nodePort = integer(p, "nodePort");
      out.add(nodePort != 0
          ? integer(p, "port") + ":" + nodePort + "/" + protocol
          : integer(p, "port") + "/" + protocol);
    }
    return out.isEmpty() ? NONE : String.join(",", out);
  }

  static Printer node() {
    return Printer.of((o, now) -> {
          JsonNode status = o.path("status");
          JsonNode info = status.path("nodeInfo");
          return row(name(o), nodeStatus(o), roles(o.path("metadata").path("labels")), age(o, now),
              text(info, "kubeletVersion"), address(status, "InternalIP"), address(status, "ExternalIP"),
              orUnknown(text(info, "osImage")), orUnknown(text(info, "kernelVersion")),
              orUnknown(text(info, "containerRuntimeVersion")));
        },
        Column.nameColumn(),
        Column.text("Status", "The status of the node"),
        Column.text("Roles", "The roles of the node"),
        Column.ageColumn(),
        Column.text("Version", "Kubelet Version reported by the node."),
        Column.text("Internal-IP", "List of addresses reachable to the node.").wide(),
        Column.text("External-IP", "List of addresses reachable to the node.").wide(),
        Column.text("OS-Image", "OS Image reported by the node from /etc/os-release.").wide(),
        Column.text("Kernel-Version", "Kernel Version reported by the node from 'uname -r'.").wide(),
        Column.text("Container-Runtime", "ContainerRuntime Version reported by the node through runtime remote"
            + " API.").wide());
  }

  static String nodeStatus(JsonNode node) {
    List<String> status = new ArrayList<>();
    for (JsonNode c : node.path("status").path("conditions")) {
      if (text(c, "type").equals("Ready")) {
        status.add(text(c, "status").equals("True") ? "Ready" : "NotReady");
      }
    }
    if (status.isEmpty()) {
      status.add("Unknown");
    }
    if (node.path("spec").path("unschedulable").asBoolean(false)) {
      status.add("SchedulingDisabled");
    }
    return String.join(",", status);
  }

  /** Roles from {@code node-role.kubernetes.io/<role>} labels and the {@code kubernetes.io/role} label. */
  static String roles(JsonNode labels) {
    TreeSet<String> roles = new TreeSet<>();
    labels.fields().forEachRemaining(e -> {
      if (e.getKey().startsWith("node-role.kubernetes.io/")) {
        String role = e.getKey().substring("node-role.kubernetes.io/".length());
        if (!role.isEmpty()) {
          roles.add(role);
        }
      } else if (e.getKey().equals("kubernetes.io/role") && !e.getValue().asText().isEmpty()) {
        roles.add(e.getValue().asText());
      }
    });
    return roles.isEmpty() ? NONE : String.join(",", roles);
  }

  private static String address(JsonNode status, String type) {
    for (JsonNode a : status.path("addresses")) {
      if (text(a, "type").equals(type)) {
        return text(a, "address");
      }
    }
    return NONE;
  }

  private static String orUnknown(String s) {
    return s.isEmpty() ? Cells.UNKNOWN : s;
  }

  static Printer replicationController() {
    return Printer.of((o, now) -> {
          JsonNode podSpec = o.path("spec").path("template").path("spec");
          return row(name(o), desired(o), integer(o, "status", "replicas"), integer(o, "status", "readyReplicas"),
              age(o, now), Cells.containers(podSpec), Cells.images(podSpec),
              Cells.labels(o.path("spec").path("selector")));
        },
        Column.nameColumn(),
        Column.integer("Desired", "Replicas is the number of desired replicas."),
        Column.integer("Current", "Replicas is the most recently observed number of replicas."),
        Column.integer("Ready", "The number of ready replicas for this replication controller."),
        Column.ageColumn(),
        Column.text("Containers", Column.CONTAINERS_DOC).wide(),
        Column.text("Images", Column.IMAGES_DOC).wide(),
        Column.text("Selector", "Selector is a label query over pods that should match the Replicas count.")
            .wide());
  }

  /** spec.replicas, which Kubernetes defaults to 1. */
  static long desired(JsonNode workload) {
    return Cells.present(workload, "spec", "replicas") ? integer(workload, "spec", "replicas") : 1;
  }
}
