package io.pekkube.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/**
 * PATCH in its four forms and server-side apply with managedFields, over real HTTP. Mixed into
 * {@link ApiContract} so that it runs on every store with the same node.
 */
interface PatchContract {
  ApiHttp api();

  String newNamespace(String prefix);

  private ApiHttp.Reply patch(String path, String type, String body) {
    return api().send("PATCH", path, type, body.getBytes(StandardCharsets.UTF_8));
  }

  private String cm(String ns, String name, String extra) {
    ApiHttp.Reply r = api().post("/api/v1/namespaces/" + ns + "/configmaps?fieldManager=creator",
        "{\"apiVersion\":\"v1\",\"kind\":\"ConfigMap\",\"metadata\":{\"name\":\"" + name
            + "\",\"labels\":{\"app\":\"web\"}},\"data\":{\"k\":\"v\"" + extra + "}}");
    assertEquals(201, r.status(), r.raw());
    return "/api/v1/namespaces/" + ns + "/configmaps/" + name;
  }

  private static JsonNode entry(JsonNode object, String manager, String operation) {
    for (JsonNode e : object.path("metadata").path("managedFields")) {
      if (e.path("manager").asText().equals(manager) && e.path("operation").asText().equals(operation)) {
        return e;
      }
    }
    return null;
  }

  @Test
  default void createRecordsTheManagerOfEveryField() {
    String path = cm(newNamespace("mf"), "c", "");
    JsonNode e = entry(api().get(path).body(), "creator", "Update");
    assertEquals("{\"f:data\":{\"f:k\":{}},\"f:metadata\":{\"f:labels\":{\"f:app\":{}}}}",
        e.path("fieldsV1").toString());
    assertEquals("FieldsV1", e.path("fieldsType").asText());
    assertEquals("v1", e.path("apiVersion").asText());
  }

  @Test
  default void mergePatchMergesMapsDeletesNullsAndMovesOwnership() {
    String path = cm(newNamespace("merge"), "c", ",\"gone\":\"x\"");
    ApiHttp.Reply r = patch(path + "?fieldManager=merger", "application/merge-patch+json",
        "{\"data\":{\"k\":\"v2\",\"gone\":null},\"metadata\":{\"labels\":{\"tier\":\"db\"}}}");
    assertEquals(200, r.status(), r.raw());
    assertEquals("{\"k\":\"v2\"}", r.body().path("data").toString());
    assertEquals("web", r.body().path("metadata").path("labels").path("app").asText());
    assertEquals("{\"f:data\":{\"f:k\":{}},\"f:metadata\":{\"f:labels\":{\"f:tier\":{}}}}",
        entry(r.body(), "merger", "Update").path("fieldsV1").toString());
    assertEquals("{\"f:metadata\":{\"f:labels\":{\"f:app\":{}}}}",
        entry(r.body(), "creator", "Update").path("fieldsV1").toString());
  }

  @Test
  default void jsonPatchAppliesAllOperationsOrNone() {
    String path = cm(newNamespace("jp"), "c", "");
    String rv = api().get(path).rv();
    ApiHttp.Reply failed = patch(path, "application/json-patch+json",
        "[{\"op\":\"add\",\"path\":\"/data/a\",\"value\":\"1\"},{\"op\":\"test\",\"path\":\"/data/k\",\"value\":\"nope\"}]");
    assertEquals(422, failed.status(), failed.raw());
    assertEquals("Invalid", failed.body().path("reason").asText());
    assertEquals("testing value /data/k failed: test failed",
        failed.body().path("details").path("causes").path(0).path("message").asText());
    assertEquals(rv, api().get(path).rv(), "a failed test changes nothing");
    ApiHttp.Reply ok = patch(path, "application/json-patch+json",
        "[{\"op\":\"test\",\"path\":\"/data/k\",\"value\":\"v\"},{\"op\":\"move\",\"from\":\"/data/k\",\"path\":\"/data/m\"},"
            + "{\"op\":\"add\",\"path\":\"/metadata/labels/a~1b\",\"value\":\"x\"}]");
    assertEquals(200, ok.status(), ok.raw());
    assertEquals("{\"m\":\"v\"}", ok.body().path("data").toString());
    assertEquals("x", ok.body().path("metadata").path("labels").path("a/b").asText());
  }

  @Test
  default void strategicMergeMergesContainersByNameAndHonoursDirectives() {
    String ns = newNamespace("smp");
    ApiHttp.Reply created = api().post("/apis/apps/v1/namespaces/" + ns + "/deployments",
        "{\"apiVersion\":\"apps/v1\",\"kind\":\"Deployment\",\"metadata\":{\"name\":\"d\",\"finalizers\":[\"a/x\"]},"
            + "\"spec\":{\"selector\":{\"matchLabels\":{\"app\":\"d\"}},\"template\":{\"metadata\":{\"labels\":{\"app\":\"d\"}},"
            + "\"spec\":{\"containers\":[{\"name\":\"web\",\"image\":\"nginx:1\",\"env\":[{\"name\":\"A\",\"value\":\"1\"}]},"
            + "{\"name\":\"side\",\"image\":\"busybox\"}],\"tolerations\":[{\"key\":\"t1\"}]}}}}");
    assertEquals(201, created.status(), created.raw());
    String path = "/apis/apps/v1/namespaces/" + ns + "/deployments/d";
    ApiHttp.Reply r = patch(path, "application/strategic-merge-patch+json",
        "{\"metadata\":{\"finalizers\":[\"a/y\"]},\"spec\":{\"template\":{\"spec\":{"
            + "\"$setElementOrder/containers\":[{\"name\":\"side\"},{\"name\":\"web\"}],"
            + "\"containers\":[{\"name\":\"web\",\"image\":\"nginx:2\",\"env\":[{\"name\":\"B\",\"value\":\"2\"}]}],"
            + "\"tolerations\":[{\"key\":\"t2\"}]}}}}");
    assertEquals(200, r.status(), r.raw());
    JsonNode spec = r.body().path("spec").path("template").path("spec");
    assertEquals("side", spec.path("containers").path(0).path("name").asText());
    assertEquals("nginx:2", spec.path("containers").path(1).path("image").asText());
    assertEquals(2, spec.path("containers").path(1).path("env").size(), "env merges by name");
    assertEquals("[{\"key\":\"t2\"}]", spec.path("tolerations").toString(), "tolerations are replaced");
    assertEquals("[\"a/x\",\"a/y\"]", r.body().path("metadata").path("finalizers").toString());
    ApiHttp.Reply deleted = patch(path, "application/strategic-merge-patch+json",
        "{\"metadata\":{\"$deleteFromPrimitiveList/finalizers\":[\"a/x\",\"a/y\"]},"
            + "\"spec\":{\"template\":{\"spec\":{\"containers\":[{\"name\":\"side\",\"$patch\":\"delete\"}]}}}}");
    assertEquals(200, deleted.status(), deleted.raw());
    assertEquals(1, deleted.body().path("spec").path("template").path("spec").path("containers").size());
    assertFalse(deleted.body().path("metadata").has("finalizers")
        && deleted.body().path("metadata").path("finalizers").size() > 0);
  }

  @Test
  default void badPatchesAnswerStatusAndChangeNothing() {
    String path = cm(newNamespace("bad"), "c", "");
    String rv = api().get(path).rv();
    ApiHttp.Reply wrongType = patch(path, "text/plain", "{}");
    assertEquals(415, wrongType.status(), wrongType.raw());
    assertTrue(wrongType.body().path("message").asText().contains("application/apply-patch+yaml"));
    assertEquals(400, patch(path, "application/merge-patch+json", "{not json").status());
    assertEquals(400, patch(path, "application/json-patch+json", "{\"op\":\"add\"}").status());
    assertEquals(400, patch(path, "application/strategic-merge-patch+json",
        "{\"metadata\":{\"$patch\":\"explode\"}}").status());
    ApiHttp.Reply invalid = patch(path, "application/merge-patch+json", "{\"metadata\":{\"labels\":{\"bad key!\":\"x\"}}}");
    assertEquals(422, invalid.status(), invalid.raw());
    ApiHttp.Reply rename = patch(path, "application/merge-patch+json", "{\"metadata\":{\"name\":\"other\"}}");
    assertEquals(400, rename.status(), rename.raw());
    ApiHttp.Reply stale = patch(path, "application/merge-patch+json",
        "{\"metadata\":{\"resourceVersion\":\"1\"},\"data\":{\"k\":\"x\"}}");
    assertEquals(409, stale.status(), stale.raw());
    ApiHttp.Reply longManager = patch(path + "?fieldManager=" + "m".repeat(129), "application/merge-patch+json", "{}");
    assertEquals(422, longManager.status(), longManager.raw());
    ApiHttp.Reply dry = patch(path + "?dryRun=All", "application/merge-patch+json", "{\"data\":{\"k\":\"dry\"}}");
    assertEquals(200, dry.status(), dry.raw());
    assertEquals("dry", dry.body().path("data").path("k").asText());
    assertEquals(404, patch(path + "-missing", "application/merge-patch+json", "{}").status());
    JsonNode after = api().get(path).body();
    assertEquals(rv, after.path("metadata").path("resourceVersion").asText(), "nothing was written");
    assertEquals("v", after.path("data").path("k").asText());
  }

  @Test
  default void statusPatchChangesOnlyStatus() {
    String ns = newNamespace("st");
    api().post("/api/v1/namespaces/" + ns + "/pods", "{\"apiVersion\":\"v1\",\"kind\":\"Pod\",\"metadata\":{\"name\":\"p\"},"
        + "\"spec\":{\"containers\":[{\"name\":\"c\",\"image\":\"x\"}]}}");
    ApiHttp.Reply r = patch("/api/v1/namespaces/" + ns + "/pods/p/status?fieldManager=kubelet",
        "application/strategic-merge-patch+json",
        "{\"status\":{\"phase\":\"Running\",\"conditions\":[{\"type\":\"Ready\",\"status\":\"True\"}]},\"spec\":{\"nodeName\":\"n\"}}");
    assertEquals(200, r.status(), r.raw());
    assertEquals("Running", r.body().path("status").path("phase").asText());
    assertFalse(r.body().path("spec").has("nodeName"));
    JsonNode e = entry(r.body(), "kubelet", "Update");
    assertEquals("status", e.path("subresource").asText());
    assertTrue(e.path("fieldsV1").path("f:status").path("f:conditions").has("k:{\"type\":\"Ready\"}"), e.toString());
  }

  @Test
  default void serverSideApplyCreatesTracksConflictsAndForces() {
    String ns = newNamespace("ssa");
    String path = "/api/v1/namespaces/" + ns + "/configmaps/s";
    String config = "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: s\n  labels:\n    app: web\ndata:\n  a: \"1\"\n  b: \"2\"\n";
    assertEquals(422, patch(path, "application/apply-patch+yaml", config).status(), "apply needs a fieldManager");
    ApiHttp.Reply created = patch(path + "?fieldManager=alice", "application/apply-patch+yaml", config);
    assertEquals(201, created.status(), created.raw());
    assertEquals("{\"f:data\":{\"f:a\":{},\"f:b\":{}},\"f:metadata\":{\"f:labels\":{\"f:app\":{}}}}",
        entry(created.body(), "alice", "Apply").path("fieldsV1").toString());
    ApiHttp.Reply again = patch(path + "?fieldManager=alice", "application/apply-patch+yaml", config);
    assertEquals(200, again.status());
    assertEquals(created.rv(), again.rv(), "an identical apply writes nothing");

    assertEquals(200, patch(path + "?fieldManager=bob", "application/merge-patch+json", "{\"data\":{\"a\":\"bob\"}}").status());
    ApiHttp.Reply conflict = patch(path + "?fieldManager=alice", "application/apply-patch+yaml", config);
    assertEquals(409, conflict.status(), conflict.raw());
    assertEquals("Apply failed with 1 conflict: conflict with \"bob\" using v1: .data.a",
        conflict.body().path("message").asText());
    JsonNode cause = conflict.body().path("details").path("causes").path(0);
    assertEquals("FieldManagerConflict", cause.path("reason").asText());
    assertEquals(".data.a", cause.path("field").asText());
    assertEquals("bob", api().get(path).body().path("data").path("a").asText(), "a conflict changes nothing");

    ApiHttp.Reply forced = patch(path + "?fieldManager=alice&force=true", "application/apply-patch+yaml", config);
    assertEquals(200, forced.status(), forced.raw());
    assertEquals("1", forced.body().path("data").path("a").asText());
    JsonNode bob = entry(forced.body(), "bob", "Update");
    assertTrue(bob == null, "bob owned nothing else: " + bob);

    ApiHttp.Reply shrunk = patch(path + "?fieldManager=alice", "application/apply-patch+yaml",
        "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: s\ndata:\n  a: \"1\"\n");
    assertEquals(200, shrunk.status(), shrunk.raw());
    assertEquals("{\"a\":\"1\"}", shrunk.body().path("data").toString(), "b is no longer applied: removed");
    assertFalse(shrunk.body().path("metadata").path("labels").has("app"));
  }
}
