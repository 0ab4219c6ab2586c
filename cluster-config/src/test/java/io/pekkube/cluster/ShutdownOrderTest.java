package io.pekkube.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.typesafe.config.ConfigFactory;
import io.pekkube.cluster.settings.NodeSettings;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.Done;
import org.apache.pekko.actor.CoordinatedShutdown;
import org.junit.jupiter.api.Test;

/**
 * SIGTERM runs Pekko's coordinated shutdown (its JVM hook) beside our own: whichever runs it, the API must
 * have stopped taking connections before sharding hands this node's shards over, or a request accepted
 * then finds the local shard region gone (a 504 in a rolling restart).
 */
class ShutdownOrderTest {

  @Test
  void theApiStopsTakingConnectionsBeforeShardingHandsShardsOver() throws Exception {
    Path dir = Files.createTempDirectory(Path.of(System.getProperty("java.io.tmpdir")), "pekkube-shutdown-order-");
    PekkubeNode node = PekkubeNode.start(new NodeSettings(dir, "127.0.0.1", 0, ApiContract.freePort(), List.of(),
        List.of("control-plane"), "embedded", "shutdown-order-node"), ConfigFactory.empty());
    int port = node.apiPort();
    CompletableFuture<String> apiWhenShardingStops = new CompletableFuture<>();
    CoordinatedShutdown shutdown = CoordinatedShutdown.get(node.system());
    shutdown.addTask(CoordinatedShutdown.PhaseClusterShardingShutdownRegion(), "probe-api", () -> {
      apiWhenShardingStops.complete(connects(port) ? "still accepting" : "refusing");
      return CompletableFuture.completedFuture(Done.getInstance());
    });
    try {
      shutdown.runAll(CoordinatedShutdown.jvmExitReason()).toCompletableFuture().get(60, TimeUnit.SECONDS);
      assertEquals("refusing", apiWhenShardingStops.get(5, TimeUnit.SECONDS));
    } finally {
      node.close();
    }
  }

  private static boolean connects(int port) {
    try (Socket socket = new Socket()) {
      socket.connect(new InetSocketAddress("127.0.0.1", port), 1000);
      return true;
    } catch (IOException refused) {
      return false;
    }
  }
}
