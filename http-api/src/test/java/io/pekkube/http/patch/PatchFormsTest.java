package io.pekkube.http.patch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.pekkube.actors.api.Json;
import io.pekkube.actors.api.BuiltinTypes;
import io.pekkube.actors.api.fields.MergeSchema;
import io.pekkube.actors.api.schema.SchemaCatalog;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Tables of patch cases: RFC 7386's appendix, RFC 6902's examples, and strategic merge cases. */
class PatchFormsTest {

  private static JsonNode json(String s) {
    try {
      return Json.MAPPER.readTree(s.replace('\'', '"'));
    } catch (Exception e) {
      throw new IllegalArgumentException(s, e);
    }
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
      "{'a':'b'}|{'a':'c'}|{'a':'c'}",
      "{'a':'b'}|{'b':'c'}|{'a':'b','b':'c'}",
      "{'a':'b'}|{'a':null}|{}",
      "{'a':'b','b':'c'}|{'a':null}|{'b':'c'}",
      "{'a':['b']}|{'a':'c'}|{'a':'c'}",
      "{'a':'c'}|{'a':['b']}|{'a':['b']}",
      "{'a':{'b':'c'}}|{'a':{'b':'d','c':null}}|{'a':{'b':'d'}}",
      "{'a':[{'b':'c'}]}|{'a':[1]}|{'a':[1]}",
      "['a','b']|['c','d']|['c','d']",
      "{'a':'b'}|['c']|['c']",
      "{'a':'foo'}|null|null",
      "{'e':null}|{'a':1}|{'e':null,'a':1}",
      "[1,2]|{'a':'b','c':null}|{'a':'b'}",
      "{}|{'a':{'bb':{'ccc':null}}}|{'a':{'bb':{}}}"})
  void mergePatchFollowsRfc7386(String target, String patch, String expected) {
    assertEquals(json(expected), JsonMergePatch.apply(json(target), json(patch)));
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
      "{'foo':'bar'}|[{'op':'add','path':'/baz','value':'qux'}]|{'baz':'qux','foo':'bar'}",
      "{'foo':['bar','baz']}|[{'op':'add','path':'/foo/1','value':'qux'}]|{'foo':['bar','qux','baz']}",
      "{'baz':'qux','foo':'bar'}|[{'op':'remove','path':'/baz'}]|{'foo':'bar'}",
      "{'foo':['bar','qux','baz']}|[{'op':'remove','path':'/foo/1'}]|{'foo':['bar','baz']}",
      "{'baz':'qux','foo':'bar'}|[{'op':'replace','path':'/baz','value':'boo'}]|{'baz':'boo','foo':'bar'}",
      "{'foo':{'bar':'baz','waldo':'fred'},'qux':{'corge':'grault'}}|[{'op':'move','from':'/foo/waldo','path':'/qux/thud'}]|{'foo':{'bar':'baz'},'qux':{'corge':'grault','thud':'fred'}}",
      "{'foo':['all','grass','cows','eat']}|[{'op':'move','from':'/foo/1','path':'/foo/3'}]|{'foo':['all','cows','eat','grass']}",
      "{'baz':'qux','foo':['a',2,'c']}|[{'op':'test','path':'/baz','value':'qux'},{'op':'test','path':'/foo/1','value':2}]|{'baz':'qux','foo':['a',2,'c']}",
      "{'foo':'bar'}|[{'op':'add','path':'/child','value':{'grandchild':{}}}]|{'foo':'bar','child':{'grandchild':{}}}",
      "{'foo':['bar']}|[{'op':'add','path':'/foo/-','value':['abc','def']}]|{'foo':['bar',['abc','def']]}",
      "{'/':9,'~1':10}|[{'op':'test','path':'/~01','value':10},{'op':'copy','from':'/~1','path':'/x'}]|{'/':9,'~1':10,'x':9}"})
  void jsonPatchFollowsRfc6902(String target, String patch, String expected) {
    assertEquals(json(expected), JsonPatch.parse(json(patch)).apply(json(target)));
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
      "{'baz':'qux'}|[{'op':'test','path':'/baz','value':'bar'}]|testing value /baz failed: test failed",
      "{'foo':'bar'}|[{'op':'add','path':'/baz/bat','value':'qux'}]|add operation does not apply: doc is missing path: \"/baz/bat\": missing value",
      "{'foo':'bar'}|[{'op':'remove','path':'/nope'}]|Unable to remove nonexistent key: nope: missing value",
      "{'foo':'bar'}|[{'op':'explode','path':'/foo'}]|Unexpected kind: explode"})
  void jsonPatchThatDoesNotApplyIs422(String target, String patch, String why) {
    PatchFailure f = assertThrows(PatchFailure.class, () -> JsonPatch.parse(json(patch)).apply(json(target)));
    assertEquals(422, f.error().code());
    assertEquals(why, f.error().details().causes().get(0).message());
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
      // containers merge by name, env by name, ports by containerPort; tolerations are atomic
      "{'spec':{'containers':[{'name':'a','image':'1'},{'name':'b','image':'1'}]}}|{'spec':{'containers':[{'name':'b','image':'2'}]}}|{'spec':{'containers':[{'name':'a','image':'1'},{'name':'b','image':'2'}]}}",
      "{'spec':{'containers':[{'name':'a','env':[{'name':'X','value':'1'}],'ports':[{'containerPort':80}]}]}}|{'spec':{'containers':[{'name':'a','env':[{'name':'Y','value':'2'}],'ports':[{'containerPort':80,'name':'http'}]}]}}|{'spec':{'containers':[{'name':'a','env':[{'name':'X','value':'1'},{'name':'Y','value':'2'}],'ports':[{'containerPort':80,'name':'http'}]}]}}",
      "{'spec':{'tolerations':[{'key':'a'}]}}|{'spec':{'tolerations':[{'key':'b'}]}}|{'spec':{'tolerations':[{'key':'b'}]}}",
      // $patch: delete in a list, replace of a list, replace and delete of a map
      "{'spec':{'containers':[{'name':'a'},{'name':'b'}]}}|{'spec':{'containers':[{'name':'a','$patch':'delete'}]}}|{'spec':{'containers':[{'name':'b'}]}}",
      "{'spec':{'containers':[{'name':'a'},{'name':'b'}]}}|{'spec':{'containers':[{'$patch':'replace'},{'name':'c'}]}}|{'spec':{'containers':[{'name':'c'}]}}",
      "{'metadata':{'labels':{'a':'1','b':'2'}}}|{'metadata':{'labels':{'$patch':'replace','c':'3'}}}|{'metadata':{'labels':{'c':'3'}}}",
      "{'metadata':{'labels':{'a':'1'}},'data':{}}|{'metadata':{'labels':{'$patch':'delete'}}}|{'metadata':{},'data':{}}",
      // finalizers merge as a set; $deleteFromPrimitiveList removes values
      "{'metadata':{'finalizers':['a','b']}}|{'metadata':{'finalizers':['b','c']}}|{'metadata':{'finalizers':['a','b','c']}}",
      "{'metadata':{'finalizers':['a','b']}}|{'metadata':{'$deleteFromPrimitiveList/finalizers':['a']}}|{'metadata':{'finalizers':['b']}}",
      // $setElementOrder orders the merged list
      "{'spec':{'containers':[{'name':'a'},{'name':'b'}]}}|{'spec':{'$setElementOrder/containers':[{'name':'b'},{'name':'a'}],'containers':[{'name':'a','image':'x'}]}}|{'spec':{'containers':[{'name':'b'},{'name':'a','image':'x'}]}}",
      // $retainKeys drops keys not listed (a Deployment strategy switching type)
      "{'spec':{'strategy':{'type':'RollingUpdate','rollingUpdate':{'maxSurge':1}}}}|{'spec':{'strategy':{'$retainKeys':['type'],'type':'Recreate'}}}|{'spec':{'strategy':{'type':'Recreate'}}}",
      // null deletes; new maps are taken without directives
      "{'data':{'a':'1','b':'2'}}|{'data':{'a':null,'c':{'$patch':'merge','d':1}}}|{'data':{'b':'2','c':{'d':1}}}"})
  void strategicMergeOnPods(String original, String patch, String expected) {
    ObjectNode result = StrategicMergePatch.apply((ObjectNode) json(original), (ObjectNode) json(patch),
        MergeSchema.forType(BuiltinTypes.POD));
    assertEquals(json(expected), result);
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
      "{'spec':{'containers':[{'name':'a'}]}}|{'spec':{'containers':[{'image':'x'}]}}|422",
      "{'metadata':{}}|{'metadata':{'$patch':'explode'}}|400",
      "{'metadata':{}}|{'metadata':{'$retainKeys':'x'}}|400",
      "{'metadata':{'labels':{}}}|{'metadata':{'$retainKeys':['a'],'b':1}}|422",
      "{'metadata':{}}|{'metadata':{'$deleteFromPrimitiveList/finalizers':'a'}}|400",
      "{'spec':{}}|{'spec':{'$setElementOrder/containers':{}}}|400"})
  void malformedStrategicPatchesAreRejected(String original, String patch, int code) {
    PatchFailure f = assertThrows(PatchFailure.class, () -> StrategicMergePatch.apply((ObjectNode) json(original),
        (ObjectNode) json(patch), MergeSchema.forType(BuiltinTypes.POD)));
    assertEquals(code, f.error().code());
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
      "example.com/v1|Widget|{'spec':{'items':[{'name':'a','x':1}]}}|{'spec':{'items':[{'name':'a','y':2}]}}|{'spec':{'items':[{'name':'a','y':2}]}}",
      "example.com/v1|Widget|{'metadata':{'finalizers':['a']}}|{'metadata':{'finalizers':['b']}}|{'metadata':{'finalizers':['a','b']}}",
      "apps/v1|Deployment|{'spec':{'template':{'spec':{'containers':[{'name':'a','image':'1'},{'name':'b'}]}}}}|{'spec':{'template':{'spec':{'containers':[{'name':'a','image':'2'}]}}}}|{'spec':{'template':{'spec':{'containers':[{'name':'a','image':'2'},{'name':'b'}]}}}}",
      "batch/v1|CronJob|{'spec':{'jobTemplate':{'spec':{'template':{'spec':{'containers':[{'name':'a','env':[{'name':'X','value':'1'}]}]}}}}}}|{'spec':{'jobTemplate':{'spec':{'template':{'spec':{'containers':[{'name':'a','env':[{'name':'Y','value':'2'}]}]}}}}}}|{'spec':{'jobTemplate':{'spec':{'template':{'spec':{'containers':[{'name':'a','env':[{'name':'X','value':'1'},{'name':'Y','value':'2'}]}]}}}}}}",
      "batch/v1|Job|{'status':{'conditions':[{'type':'Complete','status':'False'},{'type':'Failed','status':'False'}]}}|{'status':{'conditions':[{'type':'Complete','status':'True'}]}}|{'status':{'conditions':[{'type':'Complete','status':'True'},{'type':'Failed','status':'False'}]}}",
      "v1|ConfigMap|{'metadata':{'ownerReferences':[{'uid':'1','name':'a'}]}}|{'metadata':{'ownerReferences':[{'uid':'2','name':'b'}]}}|{'metadata':{'ownerReferences':[{'uid':'1','name':'a'},{'uid':'2','name':'b'}]}}"})
  void listsMergeAsTheSchemaSaysThroughNestedDefinitions(String apiVersion, String kind, String original,
      String patch, String expected) {
    assertEquals(json(expected), StrategicMergePatch.apply((ObjectNode) json(original), (ObjectNode) json(patch),
        MergeSchema.forKind(SchemaCatalog.builtin(), apiVersion, kind)));
  }
}
