package io.pekkube.http.fieldvalidation;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.pekkube.actors.api.Json;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class DuplicateFieldsTest {

  private static List<String> json(String body) {
    return DuplicateFields.find(Json.MAPPER.getFactory(), body.replace('\'', '"').getBytes(StandardCharsets.UTF_8));
  }

  @Test
  void reportsDuplicatesWithKubernetesPathsInDocumentOrder() {
    assertEquals(List.of("metadata.name", "spec.containers[1].image", "kind"),
        json("{'kind':'Pod','metadata':{'name':'a','name':'b'},'spec':{'containers':[{'name':'x'},"
            + "{'name':'y','image':'1','image':'2'}]},'kind':'Pod'}"));
  }

  @Test
  void sameKeysInDifferentObjectsAreNotDuplicates() {
    assertEquals(List.of(), json("{'a':{'x':1},'b':{'x':1},'c':[{'x':1},{'x':2}],'d':[[{'x':1}],[{'x':1}]]}"));
  }

  @Test
  void nestedArraysCountTheirIndexes() {
    assertEquals(List.of("d[1][0].x"), json("{'d':[[{'x':1}],[{'x':1,'x':2}]]}"));
  }

  @Test
  void readsYamlTokens() {
    String yaml = "apiVersion: v1\nkind: ConfigMap\ndata:\n  a: '1'\n  a: '2'\n";
    assertEquals(List.of("data.a"), DuplicateFields.find(new YAMLFactory(), yaml.getBytes(StandardCharsets.UTF_8)));
  }

  @Test
  void unparsableInputHasNoDuplicates() {
    assertEquals(List.of(), json("{'a':1,'a':"));
  }
}
