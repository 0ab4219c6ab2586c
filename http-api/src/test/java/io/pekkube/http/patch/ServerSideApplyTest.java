package io.pekkube.http.patch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.pekkube.actors.api.BuiltinTypes;
import io.pekkube.actors.api.Json;
import io.pekkube.actors.api.fields.ManagedFields;
import io.pekkube.actors.api.fields.MergeSchema;
import org.junit.jupiter.api.Test;

/** Server-side apply and Update operations on managedFields, as pure functions. */
class ServerSideApplyTest {
  private static final String T = "2025-01-01T00:00:00Z";

  private static ObjectNode obj(String s) {
    return Json.parseTrusted(s.replace('\'', '"'));
  }

  private static String fields(ObjectNode o, String manager) {
    for (var e : ManagedFields.read(o)) {
      if (e.manager().equals(manager)) {
        return e.fields().toString();
      }
    }
    return "none";
  }

  @Test
  void applyRecordsItsFieldsInFieldsV1WithListKeys() {
    ObjectNode applied = obj("{'apiVersion':'v1','kind':'Pod','metadata':{'name':'p','labels':{'app':'web'}},"
        + "'spec':{'containers':[{'name':'web','image':'nginx','ports':[{'containerPort':80,'protocol':'TCP'}]}]}}");
    ObjectNode result = ServerSideApply.apply(BuiltinTypes.POD, null, applied, "kubectl", false, "", T);
    assertEquals("{\"f:metadata\":{\"f:labels\":{\"f:app\":{}}},\"f:spec\":{\"f:containers\":{\"k:{\\\"name\\\":\\\"web\\\"}\":"
        + "{\".\":{},\"f:image\":{},\"f:name\":{},\"f:ports\":{\"k:{\\\"containerPort\\\":80,\\\"protocol\\\":\\\"TCP\\\"}\":"
        + "{\".\":{},\"f:containerPort\":{},\"f:protocol\":{}}}}}}}", fields(result, "kubectl"));
  }

  @Test
  void applyConflictsWithAnUpdaterUnlessForcedAndSharesEqualValues() {
    ObjectNode live = obj("{'apiVersion':'v1','kind':'ConfigMap','metadata':{'name':'c','resourceVersion':'5'},'data':{'k':'old','s':'same'}}");
    ManagedFields.recordUpdate(null, live, MergeSchema.forType(BuiltinTypes.CONFIG_MAP), "kubectl-client-side-apply", "v1", "", T);
    ObjectNode applied = obj("{'apiVersion':'v1','kind':'ConfigMap','metadata':{'name':'c'},'data':{'k':'new','s':'same'}}");
    PatchFailure f = assertThrows(PatchFailure.class,
        () -> ServerSideApply.apply(BuiltinTypes.CONFIG_MAP, live, applied, "kubectl", false, "", T));
    assertEquals(409, f.error().code());
    assertEquals("Apply failed with 1 conflict: conflict with \"kubectl-client-side-apply\" using v1: .data.k",
        f.error().message());
    assertEquals("FieldManagerConflict", f.error().details().causes().get(0).reason());

    ObjectNode forced = ServerSideApply.apply(BuiltinTypes.CONFIG_MAP, live, applied, "kubectl", true, "", T);
    assertEquals("new", forced.path("data").path("k").asText());
    assertEquals("{\"f:data\":{\"f:s\":{}}}", fields(forced, "kubectl-client-side-apply"), "s stays shared");
    assertEquals("{\"f:data\":{\"f:k\":{},\"f:s\":{}}}", fields(forced, "kubectl"));
  }

  @Test
  void applyRemovesWhatItNoLongerAppliesButNotWhatOthersOwn() {
    ObjectNode first = ServerSideApply.apply(BuiltinTypes.CONFIG_MAP, null,
        obj("{'apiVersion':'v1','kind':'ConfigMap','metadata':{'name':'c'},'data':{'a':'1','b':'2','c':'3'}}"),
        "alice", false, "", T);
    ObjectNode shared = ServerSideApply.apply(BuiltinTypes.CONFIG_MAP, first,
        obj("{'apiVersion':'v1','kind':'ConfigMap','metadata':{'name':'c'},'data':{'c':'3'}}"), "bob", false, "", T);
    ObjectNode shrunk = ServerSideApply.apply(BuiltinTypes.CONFIG_MAP, shared,
        obj("{'apiVersion':'v1','kind':'ConfigMap','metadata':{'name':'c'},'data':{'a':'1'}}"), "alice", false, "", T);
    assertEquals(obj("{'a':'1','c':'3'}"), shrunk.path("data"));
    assertFalse(shrunk.path("data").has("b"));
  }

  @Test
  void updateMovesChangedFieldsToItsManagerAndDropsRemovedOnes() {
    var schema = MergeSchema.forType(BuiltinTypes.CONFIG_MAP);
    ObjectNode v1 = obj("{'metadata':{'name':'c'},'data':{'a':'1','b':'2'}}");
    ManagedFields.recordUpdate(null, v1, schema, "creator", "v1", "", T);
    ObjectNode v2 = obj("{'metadata':{'name':'c'},'data':{'a':'changed'}}");
    Json.metadata(v2).set("managedFields", v1.path("metadata").path("managedFields").deepCopy());
    ManagedFields.recordUpdate(v1, v2, schema, "editor", "v1", "", "2025-01-02T00:00:00Z");
    assertEquals("none", fields(v2, "creator"), "creator lost a (changed) and b (removed)");
    assertEquals("{\"f:data\":{\"f:a\":{}}}", fields(v2, "editor"));

    ObjectNode same = v2.deepCopy();
    ManagedFields.recordUpdate(v2, same, schema, "other", "v1", "", "2025-01-03T00:00:00Z");
    assertEquals(v2.path("metadata").path("managedFields"), same.path("metadata").path("managedFields"),
        "a write that changes nothing keeps managedFields and their times");
  }
}
