package io.pekkube.actors.resources;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.pekkube.actors.api.BuiltinTypes;
import io.pekkube.actors.api.Json;
import io.pekkube.actors.api.ResourceType;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** What a create keeps of the status a client sent: only what Kubernetes' create strategies keep. */
class ObjectWritesTest {

  private static ObjectNode created(ResourceType type, String json) {
    ObjectWrites.Decision d = ObjectWrites.create(type, null, Json.parseTrusted(json), Instant.EPOCH, "u1", 7);
    return assertInstanceOf(ObjectWrites.Persist.class, d).object();
  }

  @Test
  void aNodeIsCreatedWithTheStatusItsKubeletSent() {
    ObjectNode node = created(BuiltinTypes.NODE, "{\"metadata\":{\"name\":\"n1\"},\"status\":{\"capacity\":"
        + "{\"cpu\":\"4\"},\"conditions\":[{\"type\":\"Ready\",\"status\":\"True\"}]}}");
    assertEquals("4", node.path("status").path("capacity").path("cpu").asText(), node.toString());
    assertEquals("True", node.path("status").path("conditions").path(0).path("status").asText(), node.toString());
  }

  @Test
  void aPodsStatusIsTheSystemsNotTheClients() {
    ObjectNode pod = created(BuiltinTypes.POD, "{\"metadata\":{\"name\":\"p\",\"namespace\":\"default\"},"
        + "\"spec\":{\"containers\":[{\"name\":\"c\",\"image\":\"busybox\"}]},\"status\":{\"phase\":\"Running\","
        + "\"podIP\":\"10.0.0.9\"}}");
    assertFalse(pod.path("status").has("podIP"), pod.toString());
    assertEquals("Pending", pod.path("status").path("phase").asText(), pod.toString());
  }
}
