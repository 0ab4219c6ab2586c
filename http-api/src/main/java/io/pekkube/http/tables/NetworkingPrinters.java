package io.pekkube.http.tables;

import static io.pekkube.http.tables.Cells.age;
import static io.pekkube.http.tables.Cells.name;
import static io.pekkube.http.tables.Cells.row;
import static io.pekkube.http.tables.Cells.text;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Printers of networking.k8s.io/v1 and discovery.k8s.io/v1: Ingresses, classes, policies, slices. */
final class NetworkingPrinters {
  private NetworkingPrinters() {}

  static Map<String, Printer> all() {
    return Map.of(
        "ingresses.networking.k8s.io", ingress(),
        "ingressclasses.networking.k8s.io", ingressClass(),
        "networkpolicies.networking.k8s.io", networkPolicy(),
        "endpointslices.discovery.k8s.io", endpointSlice());
  }

  static Printer ingress() {
    return Printer.of((o, now) -> {
          JsonNode spec = o.path("spec");
          return row(name(o), Cells.orNone(text(spec, "ingressClassName")), hosts(spec.path("rules")),
              loadBalancer(o.path("status").path("loadBalancer")), spec.path("tls").size() > 0 ? "80, 443" : "80",
              age(o, now));
        },
        Column.nameColumn(),
        Column.text("Class", "The name of the IngressClass resource that should be used for additional"
            + " configuration"),
        Column.text("Hosts", "Hosts that incoming requests are matched against before the ingress rule"),
        Column.text("Address", "Address is a list containing ingress points for the load-balancer"),
        Column.text("Ports", "Ports of TLS configurations that open"),
        Column.ageColumn());
  }

  private static String hosts(JsonNode rules) {
    List<String> list = new ArrayList<>();
    int max = 3;
    boolean more = false;
    for (JsonNode rule : rules) {
      if (list.size() == max) {
        more = true;
      }
      if (!more && !text(rule, "host").isEmpty()) {
        list.add(text(rule, "host"));
      }
    }
    if (list.isEmpty()) {
      return "*";
    }
    String joined = String.join(",", list);
    return more ? joined + " + " + (rules.size() - max) + " more..." : joined;
  }

  private static String loadBalancer(JsonNode status) {
    List<String> out = new ArrayList<>();
    for (JsonNode ingress : status.path("ingress")) {
      if (!text(ingress, "ip").isEmpty()) {
        out.add(text(ingress, "ip"));
      } else if (!text(ingress, "hostname").isEmpty()) {
        out.add(text(ingress, "hostname"));
      }
    }
    return String.join(",", out);
  }

  static Printer ingressClass() {
    return Printer.of((o, now) -> {
          JsonNode params = o.path("spec").path("parameters");
          String parameters = Cells.NONE;
          if (params.isObject()) {
            String group = text(params, "apiGroup");
            parameters = text(params, "kind") + (group.isEmpty() ? "" : "." + group) + "/" + text(params, "name");
          }
          return row(name(o), text(o, "spec", "controller"), parameters, age(o, now));
        },
        Column.nameColumn(),
        Column.text("Controller", "Controller that is responsible for handling this class"),
        Column.text("Parameters", "A reference to a resource with additional parameters"),
        Column.ageColumn());
  }

  static Printer networkPolicy() {
    return Printer.of((o, now) -> row(name(o), Cells.formatSelector(o.path("spec").path("podSelector")), age(o, now)),
        Column.nameColumn(),
        Column.text("Pod-Selector", "Selects the pods to which this NetworkPolicy object applies."),
        Column.ageColumn());
  }

  static Printer endpointSlice() {
    return Printer.of((o, now) -> row(name(o), text(o, "addressType"), slicePorts(o.path("ports")),
            sliceEndpoints(o.path("endpoints")), age(o, now)),
        Column.nameColumn(),
        Column.text("AddressType", "addressType specifies the type of address carried by this EndpointSlice."),
        Column.text("Ports", "ports specifies the list of network ports exposed by each endpoint in this slice."),
        Column.text("Endpoints", "endpoints is a list of unique endpoints in this slice."),
        Column.ageColumn());
  }

  private static String slicePorts(JsonNode ports) {
    if (ports.size() == 0) {
      return "<unset>";
    }
    List<String> list = new ArrayList<>();
    for (JsonNode p : ports) {
      if (list.size() == 3) {
        return String.join(",", list) + " + " + (ports.size() - 3) + " more...";
      }
      list.add(p.has("port") ? p.path("port").asText() : "<unset>");
    }
    return String.join(",", list);
  }

  private static String sliceEndpoints(JsonNode endpoints) {
    List<String> all = new ArrayList<>();
    for (JsonNode e : endpoints) {
      all.addAll(Cells.strings(e.path("addresses")));
    }
    if (all.isEmpty()) {
      return "<unset>";
    }
    if (all.size() > 3) {
      return String.join(",", all.subList(0, 3)) + " + " + (all.size() - 3) + " more...";
    }
    return String.join(",", all);
  }
}
