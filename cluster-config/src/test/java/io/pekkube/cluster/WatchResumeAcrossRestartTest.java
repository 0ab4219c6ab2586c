package io.pekkube.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import com.fasterxml.jackson.databind.JsonNode;
import io.pekkube.cluster.settings.NodeSettings;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A client that saw revision N before the server restarted resumes its watch from N on the
 * restarted server and gets exactly the changes after N: the hub rebuilds its window from the journal.
 */
class WatchResumeAcrossRestartTest {

  private static PekkubeNode start(Path dir) throws Exception {
    return PekkubeNode.start(new NodeSettings(dir, "127.0.0.1", 0, ApiContract.freePort(), List.of(),
        List.of("control-plane", "worker"), "embedded", "restart-node"));
  }

  @Test
  void aWatchResumesFromARevisionSeenBeforeTheRestart() throws Exception {
    Path dir = Files.createTempDirectory(Path.of(System.getProperty("java.io.tmpdir")), "pekkube-resume-");
    String base = "/api/v1/namespaces/default/configmaps";
    String seen;
    try (PekkubeNode node = start(dir)) {
      ApiHttp api = new ApiHttp(node.apiPort());
      seen = api.post(base, ApiContract.configMap("before", "1")).rv();
      api.post(base, ApiContract.configMap("after-1", "1"));
      api.delete(base + "/before");
    }
    try (PekkubeNode node = start(dir)) {
      ApiHttp api = new ApiHttp(node.apiPort());
      try (ApiHttp.Watch w = api.watch(base + "?watch=1&resourceVersion=" + seen)) {
        api.post(base, ApiContract.configMap("after-restart", "1"));
        List<String> expected = List.of("ADDED after-1", "DELETED before", "ADDED after-restart");
        for (String e : expected) {
          JsonNode event = w.next(Duration.ofSeconds(20));
          assertNotNull(event, "missing " + e);
          assertEquals(e, event.path("type").asText() + " " + event.path("object").path("metadata").path("name").asText());
        }
        assertEquals(null, w.next(Duration.ofMillis(500)), "no duplicates");
      }
    }
  }
}
