package io.pekkube.actors.resources;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.pekkube.actors.api.BuiltinTypes;
import io.pekkube.actors.api.Json;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

class DefaultsTest {

  @Test
  void aNewPodIsPendingWithTheSpecDefaults() {
    ObjectNode pod = (ObjectNode) Json.parseTrusted("{\"metadata\":{\"name\":\"p\"},\"spec\":{\"containers\":["
        + "{\"name\":\"a\",\"image\":\"busybox\"},{\"name\":\"b\",\"image\":\"registry:5000/web:1.2\"},"
        + "{\"name\":\"c\",\"image\":\"nginx:latest\",\"imagePullPolicy\":\"Never\"}]}}");
    Defaults.apply(BuiltinTypes.POD, pod);
    assertEquals("Pending", pod.path("status").path("phase").asText());
    assertEquals("BestEffort", pod.path("status").path("qosClass").asText());
    assertEquals("Always", pod.path("spec").path("restartPolicy").asText());
    assertEquals("ClusterFirst", pod.path("spec").path("dnsPolicy").asText());
    assertEquals("default-scheduler", pod.path("spec").path("schedulerName").asText());
    assertEquals(30, pod.path("spec").path("terminationGracePeriodSeconds").asInt());
    assertEquals("Always", pod.path("spec").path("containers").get(0).path("imagePullPolicy").asText());
    assertEquals("IfNotPresent", pod.path("spec").path("containers").get(1).path("imagePullPolicy").asText());
    assertEquals("Never", pod.path("spec").path("containers").get(2).path("imagePullPolicy").asText());
    assertEquals("File", pod.path("spec").path("containers").get(0).path("terminationMessagePolicy").asText());
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
      "{}                                                                     | BestEffort",
      "{\"requests\":{\"cpu\":\"100m\"}}                                      | Burstable",
      "{\"limits\":{\"cpu\":\"1\",\"memory\":\"1Gi\"}}                        | Guaranteed",
      "{\"limits\":{\"cpu\":\"1\",\"memory\":\"1Gi\"},\"requests\":{\"cpu\":\"1\",\"memory\":\"1Gi\"}} | Guaranteed",
      "{\"limits\":{\"cpu\":\"1\",\"memory\":\"1Gi\"},\"requests\":{\"cpu\":\"500m\"}} | Burstable",
      "{\"limits\":{\"cpu\":\"1\"}}                                           | Burstable"})
  void qosClassFollowsRequestsAndLimits(String resources, String expected) {
    ObjectNode spec = (ObjectNode) Json.parseTrusted("{\"containers\":[{\"name\":\"a\",\"resources\":" + resources + "}]}");
    assertEquals(expected, Defaults.qosClass(spec));
  }

  @Test
  void storageObjectsGetKubernetesDefaults() {
    ObjectNode pv = Json.parseTrusted("{\"metadata\":{\"name\":\"pv1\"},\"spec\":{\"hostPath\":{\"path\":\"/d\"}}}");
    Defaults.apply(BuiltinTypes.PERSISTENT_VOLUME, pv);
    assertEquals("Retain", pv.path("spec").path("persistentVolumeReclaimPolicy").asText());
    assertEquals("Filesystem", pv.path("spec").path("volumeMode").asText());
    assertEquals("Pending", pv.path("status").path("phase").asText());
    ObjectNode kept = Json.parseTrusted("{\"spec\":{\"persistentVolumeReclaimPolicy\":\"Delete\",\"volumeMode\":\"Block\"}}");
    Defaults.apply(BuiltinTypes.PERSISTENT_VOLUME, kept);
    assertEquals("Delete", kept.path("spec").path("persistentVolumeReclaimPolicy").asText());
    assertEquals("Block", kept.path("spec").path("volumeMode").asText());
    ObjectNode pvc = Json.parseTrusted("{\"metadata\":{\"name\":\"c\"},\"spec\":{}}");
    Defaults.apply(BuiltinTypes.PERSISTENT_VOLUME_CLAIM, pvc);
    assertEquals("Filesystem", pvc.path("spec").path("volumeMode").asText());
    assertEquals("Pending", pvc.path("status").path("phase").asText());
    ObjectNode sc = Json.parseTrusted("{\"metadata\":{\"name\":\"fast\"},\"provisioner\":\"x\"}");
    Defaults.apply(BuiltinTypes.STORAGE_CLASS, sc);
    assertEquals("Delete", sc.path("reclaimPolicy").asText());
    assertEquals("Immediate", sc.path("volumeBindingMode").asText());
  }
}
