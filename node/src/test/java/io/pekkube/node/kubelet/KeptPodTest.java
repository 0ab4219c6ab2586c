package io.pekkube.node.kubelet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.pekkube.actors.api.Json;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class KeptPodTest {

  private static ObjectNode pod(String metadataExtra, String specExtra) {
    return Json.parseTrusted("{\"apiVersion\":\"v1\",\"kind\":\"Pod\",\"metadata\":{\"name\":\"p\",\"namespace\":\"ns\","
        + "\"uid\":\"u1\",\"resourceVersion\":\"7\",\"labels\":{\"app\":\"a\"},\"managedFields\":[{\"manager\":\"kubectl\","
        + "\"operation\":\"Update\",\"fieldsV1\":{\"f:spec\":{}}}]" + metadataExtra + "},\"spec\":{\"nodeName\":\"n1\","
        + "\"containers\":[{\"name\":\"c\",\"image\":\"busybox\",\"resources\":{\"requests\":{\"cpu\":\"10m\"}}}]"
        + specExtra + "},\"status\":{\"phase\":\"Pending\",\"podIP\":\"10.0.0.1\"}}");
  }

  @Test
  void keepsThePodAsJsonWithoutManagedFieldsAndLeavesTheGivenTreeAlone() {
    ObjectNode given = pod("", "");
    KeptPod kept = KeptPod.of(given);

    ObjectNode expected = given.deepCopy();
    ((ObjectNode) expected.path("metadata")).remove("managedFields");
    assertEquals(expected, kept.tree());
    assertTrue(given.path("metadata").has("managedFields"));
  }

  @Test
  void readsTheFieldsEverySyncNeeds() {
    KeptPod kept = KeptPod.of(pod("", ""));

    assertEquals("p", kept.name());
    assertEquals("ns", kept.namespace());
    assertEquals("u1", kept.uid());
    assertEquals("7", kept.involved().resourceVersion());
    assertFalse(kept.deleting());
    assertEquals("Always", kept.restartPolicy());
    assertEquals(Duration.ofSeconds(30), kept.gracePeriod());
    assertEquals("Burstable", kept.qosClass());
    assertFalse(kept.apiBackedVolumes());
  }

  @Test
  void aDeletionsGracePeriodWinsOverThePodsOwn() {
    KeptPod deleting = KeptPod.of(pod(",\"deletionTimestamp\":\"2026-01-01T00:00:00Z\",\"deletionGracePeriodSeconds\":5",
        ",\"terminationGracePeriodSeconds\":60,\"restartPolicy\":\"Never\""));
    KeptPod running = KeptPod.of(pod("", ",\"terminationGracePeriodSeconds\":60"));

    assertTrue(deleting.deleting());
    assertEquals(Duration.ofSeconds(5), deleting.gracePeriod());
    assertEquals("Never", deleting.restartPolicy());
    assertEquals(Duration.ofSeconds(60), running.gracePeriod());
  }

  @Test
  void knowsWhenAVolumeIsFedFromTheApi() {
    KeptPod kept = KeptPod.of(pod("", ",\"volumes\":[{\"name\":\"cfg\",\"configMap\":{\"name\":\"settings\"}}]"));

    assertTrue(kept.apiBackedVolumes());
  }
}
