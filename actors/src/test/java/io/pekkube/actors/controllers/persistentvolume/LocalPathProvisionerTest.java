package io.pekkube.actors.controllers.persistentvolume;

import static io.pekkube.actors.scheduler.Fixtures.claim;
import static io.pekkube.actors.scheduler.Fixtures.storageClass;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.pekkube.actors.api.Json;
import io.pekkube.actors.scheduler.framework.ClaimInfo;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class LocalPathProvisionerTest {
  private static final ObjectNode CLAIM = claim("data").storageClass("local").request("2Gi")
      .accessModes("ReadWriteOnce").selectedNode("n1").json();

  @Test
  void theVolumeIsADirectoryOnTheSelectedNodeBoundToTheClaim() {
    ObjectNode local = storageClass("local", "WaitForFirstConsumer", LocalPathProvisioner.NAME);
    String path = LocalPathProvisioner.directory("/data/n1/local-path", "pvc-uid-data", ClaimInfo.of(CLAIM));
    assertEquals("/data/n1/local-path/pvc-uid-data_default_data", path);
    ObjectNode pv = LocalPathProvisioner.volume(CLAIM, local, "n1", path);
    assertEquals("pvc-uid-data", pv.path("metadata").path("name").asText());
    JsonNode annotations = pv.path("metadata").path("annotations");
    assertEquals(LocalPathProvisioner.NAME, annotations.path("pv.kubernetes.io/provisioned-by").asText());
    assertEquals("yes", annotations.path("pv.kubernetes.io/bound-by-controller").asText());
    JsonNode spec = pv.path("spec");
    assertEquals("2Gi", spec.path("capacity").path("storage").asText());
    assertEquals("ReadWriteOnce", spec.path("accessModes").get(0).asText());
    assertEquals("Delete", spec.path("persistentVolumeReclaimPolicy").asText(), "the class's default policy");
    assertEquals("local", spec.path("storageClassName").asText());
    assertEquals(path, spec.path("hostPath").path("path").asText());
    assertEquals("DirectoryOrCreate", spec.path("hostPath").path("type").asText());
    assertEquals("uid-data", spec.path("claimRef").path("uid").asText());
    assertEquals("n1", LocalPathProvisioner.nodeOf(pv));
    assertEquals("[\"kubernetes.io/pv-controller\"]", pv.path("metadata").path("finalizers").toString(),
        "kept until its directory is removed");
    local.put("reclaimPolicy", "Retain");
    ObjectNode retained = LocalPathProvisioner.volume(CLAIM, local, "n1", path);
    assertEquals("Retain", retained.path("spec").path("persistentVolumeReclaimPolicy").asText());
    assertEquals(false, retained.path("metadata").has("finalizers"), "nothing to delete: nothing to wait for");
  }

  @Test
  void theHelperPodRunsOnTheNodeWithTheParentDirectoryMounted() {
    ObjectNode pod = LocalPathProvisioner.helperPod(LocalPathProvisioner.Action.CREATE, "pvc-1", "n1",
        "/data/local-path/pvc-1_default_data", "busybox", "kube-system");
    assertEquals("helper-pod-create-pvc-1", pod.path("metadata").path("name").asText());
    assertEquals("kube-system", pod.path("metadata").path("namespace").asText());
    JsonNode spec = pod.path("spec");
    assertEquals("n1", spec.path("nodeName").asText());
    assertEquals("Never", spec.path("restartPolicy").asText());
    JsonNode container = spec.path("containers").get(0);
    assertEquals("set -eu; mkdir -m 0777 -p \"$VOL_DIR\"", container.path("command").get(2).asText());
    assertEquals("/data/local-path/pvc-1_default_data", container.path("env").get(0).path("value").asText());
    assertEquals("/data/local-path", container.path("volumeMounts").get(0).path("mountPath").asText());
    assertEquals("/data/local-path", spec.path("volumes").get(0).path("hostPath").path("path").asText());
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
      "pekkube.io/local-path | /data/local-path/pvc-1_default_data       | /data/local-path/pvc-1_default_data",
      "rancher.io/local-path | /data/local-path/pvc-1_default_data       | ''",
      "pekkube.io/local-path | /etc/pvc-1_default_data                   | ''",
      "pekkube.io/local-path | /data/local-path/../../etc/pvc-1_x        | ''",
      "pekkube.io/local-path | /data/local-path                          | ''",
      "pekkube.io/local-path | /data/local-path/pvc-2_default_data       | ''",
      "pekkube.io/local-path | /data/local-path/sub/pvc-1_default_data   | ''",
      "pekkube.io/local-path | relative/pvc-1_default_data               | ''"})
  void onlyTheDirectoryOfOwnVolumeInTheNodesDirectoryIsEverRemoved(String provisionedBy, String path,
      String expected) {
    ObjectNode pv = Json.object();
    pv.putObject("metadata").put("name", "pvc-1").putObject("annotations")
        .put("pv.kubernetes.io/provisioned-by", provisionedBy);
    pv.putObject("spec").putObject("hostPath").put("path", path);
    assertEquals(expected, LocalPathProvisioner.deletablePath(pv, "/data/local-path"));
  }
}
