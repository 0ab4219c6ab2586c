package io.pekkube.http.openapi;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.pekkube.actors.api.Json;
import io.pekkube.actors.api.ResourceType;

/**
 * The path items of one resource: the collection and the object, with the operations and query
 * parameters clients inspect. kubectl (1.27+) decides that the server validates fields itself by
 * finding a {@code fieldValidation} query parameter on the PATCH operation of the kind.
 */
final class PathItems {
  private final SchemaJson schemas;
  private final boolean v3;

  PathItems(SchemaJson schemas, boolean v3) {
    this.schemas = schemas;
    this.v3 = v3;
  }

  void add(ObjectNode paths, ResourceType t, String schemaName) {
    String prefix = (t.group().isEmpty() ? "/api/" : "/apis/" + t.group() + "/") + t.version()
        + (t.namespaced() ? "/namespaces/{namespace}/" : "/") + t.plural();
    ObjectNode collection = paths.putObject(prefix);
    collection.set("get", operation(t, schemaName, "list", false));
    collection.set("post", operation(t, schemaName, "post", true));
    collection.set("delete", operation(t, schemaName, "deletecollection", false));
    collection.set("parameters", pathParameters(t, false));
    ObjectNode item = paths.putObject(prefix + "/{name}");
    item.set("get", operation(t, schemaName, "get", false));
    item.set("put", operation(t, schemaName, "put", true));
    item.set("patch", operation(t, schemaName, "patch", true));
    item.set("delete", operation(t, schemaName, "delete", false));
    item.set("parameters", pathParameters(t, true));
  }

  private ObjectNode operation(ResourceType t, String schemaName, String action, boolean write) {
    ObjectNode op = Json.object();
    op.put("operationId", action + t.kind());
    op.put("x-kubernetes-action", action);
    op.putObject("x-kubernetes-group-version-kind").put("group", t.group()).put("kind", t.kind())
        .put("version", t.version());
    ArrayNode parameters = op.putArray("parameters");
    if (write) {
      query(parameters, "dryRun");
      query(parameters, "fieldManager");
      query(parameters, "fieldValidation");
      if (action.equals("patch")) {
        query(parameters, "force").put("type", "boolean");
      }
      if (v3) {
        ObjectNode content = op.putObject("requestBody").putObject("content");
        for (String media : action.equals("patch")
            ? new String[] {"application/json-patch+json", "application/merge-patch+json",
                "application/strategic-merge-patch+json", "application/apply-patch+yaml"}
            : new String[] {"*/*"}) {
          content.putObject(media).set("schema", action.equals("patch")
              ? Json.object().put("type", "object") : schemas.refTo(schemaName));
        }
      } else {
        ObjectNode body = parameters.addObject().put("name", "body").put("in", "body").put("required", true);
        body.set("schema", action.equals("patch") ? Json.object().put("type", "object") : schemas.refTo(schemaName));
      }
    }
    ObjectNode ok = op.putObject("responses").putObject("200").put("description", "OK");
    ObjectNode schema = action.equals("list") || action.equals("deletecollection") || action.equals("delete")
        ? Json.object().put("type", "object") : schemas.refTo(schemaName);
    if (v3) {
      ok.putObject("content").putObject("application/json").set("schema", schema);
    } else {
      ok.set("schema", schema);
    }
    return op;
  }

  private ObjectNode query(ArrayNode parameters, String name) {
    ObjectNode p = parameters.addObject().put("name", name).put("in", "query").put("uniqueItems", true);
    if (v3) {
      p.putObject("schema").put("type", "string");
      return (ObjectNode) p.get("schema");
    }
    p.put("type", "string");
    return p;
  }

  private ArrayNode pathParameters(ResourceType t, boolean named) {
    ArrayNode parameters = Json.MAPPER.createArrayNode();
    if (named) {
      path(parameters, "name");
    }
    if (t.namespaced()) {
      path(parameters, "namespace");
    }
    return parameters;
  }

  private void path(ArrayNode parameters, String name) {
    ObjectNode p = parameters.addObject().put("name", name).put("in", "path").put("required", true)
        .put("uniqueItems", true);
    if (v3) {
      p.putObject("schema").put("type", "string");
    } else {
      p.put("type", "string");
    }
  }
}
