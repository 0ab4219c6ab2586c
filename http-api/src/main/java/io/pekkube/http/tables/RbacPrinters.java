package io.pekkube.http.tables;

import static io.pekkube.http.tables.Cells.age;
import static io.pekkube.http.tables.Cells.name;
import static io.pekkube.http.tables.Cells.row;
import static io.pekkube.http.tables.Cells.text;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Printers of rbac.authorization.k8s.io/v1 bindings (roles themselves print the default table). */
final class RbacPrinters {
  private RbacPrinters() {}

  static Map<String, Printer> all() {
    return Map.of(
        "rolebindings.rbac.authorization.k8s.io", binding("roleBinding"),
        "clusterrolebindings.rbac.authorization.k8s.io", binding("clusterRoleBinding"));
  }

  static Printer binding(String what) {
    return Printer.of((o, now) -> row(name(o), text(o, "roleRef", "kind") + "/" + text(o, "roleRef", "name"),
            age(o, now), subjects(o, "User"), subjects(o, "Group"), subjects(o, "ServiceAccount")),
        Column.nameColumn(),
        Column.text("Role", "RoleRef can only reference the current namespace or a ClusterRole."),
        Column.ageColumn(),
        Column.text("Users", "Users in the " + what).wide(),
        Column.text("Groups", "Groups in the " + what).wide(),
        Column.text("ServiceAccounts", "ServiceAccounts in the " + what).wide());
  }

  /** Subjects of one kind, ", " separated; service accounts as "namespace:name". */
  private static String subjects(JsonNode binding, String kind) {
    List<String> out = new ArrayList<>();
    for (JsonNode s : binding.path("subjects")) {
      if (text(s, "kind").equals(kind)) {
        out.add(kind.equals("ServiceAccount") ? text(s, "namespace") + ":" + text(s, "name") : text(s, "name"));
      }
    }
    return String.join(", ", out);
  }
}
