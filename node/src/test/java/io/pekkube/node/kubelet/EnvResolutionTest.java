package io.pekkube.node.kubelet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import com.fasterxml.jackson.databind.JsonNode;
import io.pekkube.actors.api.Json;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class EnvResolutionTest {
  private static final JsonNode POD = Json.parseTrusted("""
      {"metadata":{"name":"web","namespace":"shop","uid":"u-1","labels":{"app":"web"},"annotations":{"a/b":"x"}},
       "spec":{"nodeName":"w1","serviceAccountName":"default","containers":[
         {"name":"app","resources":{"limits":{"cpu":"500m","memory":"64Mi"},"requests":{"cpu":"250m"}}}]}}""");
  private static final Map<String, JsonNode> CONFIG_MAPS = Map.of("cfg", Json.parseTrusted(
      "{\"data\":{\"MODE\":\"fast\",\"LEVEL\":\"3\",\"bad key\":\"x\"}}"));
  private static final Map<String, JsonNode> SECRETS = Map.of("creds", Json.parseTrusted(
      "{\"data\":{\"PASSWORD\":\"czNjcjN0\"}}"));
  private static final EnvResolution.Sources SOURCES = new EnvResolution.Sources(
      n -> Optional.ofNullable(CONFIG_MAPS.get(n)), n -> Optional.ofNullable(SECRETS.get(n)));
  private static final EnvResolution.NodeFacts NODE = new EnvResolution.NodeFacts("10.0.0.5", "10.0.0.5", 4000, 8L << 30);

  /** env (JSON list), envFrom (JSON list) -> the variables (k=v;...) or the error. */
  @ParameterizedTest(name = "{0} {1}")
  @CsvSource(delimiter = '|', textBlock = """
      [{"name":"A","value":"1"},{"name":"B","value":"$(A)-$$(A)-$(NONE)"}] | [] | A=1;B=1-$(A)-$(NONE)
      [{"name":"M","valueFrom":{"configMapKeyRef":{"name":"cfg","key":"MODE"}}}] | [] | M=fast
      [{"name":"P","valueFrom":{"secretKeyRef":{"name":"creds","key":"PASSWORD"}}}] | [] | P=s3cr3t
      [] | [{"configMapRef":{"name":"cfg"},"prefix":"C_"}] | C_LEVEL=3;C_MODE=fast
      [{"name":"C_MODE","value":"slow"}] | [{"configMapRef":{"name":"cfg"},"prefix":"C_"}] | C_LEVEL=3;C_MODE=slow
      [] | [{"secretRef":{"name":"missing","optional":true}}] | ''
      [{"name":"X","valueFrom":{"configMapKeyRef":{"name":"cfg","key":"NOPE","optional":true}}}] | [] | ''
      [{"name":"X","valueFrom":{"configMapKeyRef":{"name":"gone","key":"K"}}}] | [] | !configmap "gone" not found
      [{"name":"X","valueFrom":{"secretKeyRef":{"name":"gone","key":"K"}}}] | [] | !secret "gone" not found
      [{"name":"X","valueFrom":{"configMapKeyRef":{"name":"cfg","key":"NOPE"}}}] | [] | !couldn't find key NOPE in ConfigMap shop/cfg
      [{"name":"X","valueFrom":{"secretKeyRef":{"name":"creds","key":"NOPE"}}}] | [] | !couldn't find key NOPE in Secret shop/creds
      [] | [{"configMapRef":{"name":"gone"}}] | !configmap "gone" not found
      [{"name":"N","valueFrom":{"fieldRef":{"fieldPath":"metadata.name"}}},{"name":"NS","valueFrom":{"fieldRef":{"fieldPath":"metadata.namespace"}}}] | [] | N=web;NS=shop
      [{"name":"L","valueFrom":{"fieldRef":{"fieldPath":"metadata.labels['app']"}}},{"name":"AN","valueFrom":{"fieldRef":{"fieldPath":"metadata.annotations['a/b']"}}}] | [] | L=web;AN=x
      [{"name":"H","valueFrom":{"fieldRef":{"fieldPath":"status.hostIP"}}},{"name":"NN","valueFrom":{"fieldRef":{"fieldPath":"spec.nodeName"}}}] | [] | H=10.0.0.5;NN=w1
      [{"name":"CPU","valueFrom":{"resourceFieldRef":{"resource":"limits.cpu"}}},{"name":"CPUM","valueFrom":{"resourceFieldRef":{"resource":"limits.cpu","divisor":"1m"}}}] | [] | CPU=1;CPUM=500
      [{"name":"MEM","valueFrom":{"resourceFieldRef":{"resource":"limits.memory","divisor":"1Mi"}}},{"name":"RQ","valueFrom":{"resourceFieldRef":{"resource":"requests.cpu","divisor":"1m"}}}] | [] | MEM=64;RQ=250
      [{"name":"EPH","valueFrom":{"resourceFieldRef":{"resource":"limits.ephemeral-storage"}}}] | [] | EPH=0
      """)
  void resolvesLikeTheKubelet(String env, String envFrom, String expected) {
    JsonNode container = Json.parseTrusted("{\"name\":\"app\",\"env\":" + env + ",\"envFrom\":" + envFrom
        + ",\"resources\":{\"limits\":{\"cpu\":\"500m\",\"memory\":\"64Mi\"},\"requests\":{\"cpu\":\"250m\"}}}");
    EnvResolution.Result result = EnvResolution.resolve(POD, container, SOURCES, NODE);
    if (expected.startsWith("!")) {
      assertEquals(expected.substring(1), result.error());
      return;
    }
    assertNull(result.error());
    StringBuilder got = new StringBuilder();
    result.env().entrySet().stream().sorted(Map.Entry.comparingByKey())
        .forEach(e -> got.append(got.length() > 0 ? ";" : "").append(e.getKey()).append('=').append(e.getValue()));
    String want = String.join(";", java.util.Arrays.stream(expected.split(";")).filter(s -> !s.isEmpty()).sorted().toList());
    assertEquals(want, got.toString());
  }
}
