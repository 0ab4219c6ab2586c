package io.pekkube.node.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class SimulatedRuntimeTest {
  private final SimulatedRuntime runtime = new SimulatedRuntime(Duration.ofMillis(200));

  @AfterEach
  void close() {
    runtime.close();
  }

  private static ContainerSpec spec(int n) {
    return new ContainerSpec("uid-" + n, "default", "pod-" + n, "main", "registry.k8s.io/pause:3.9", List.of("sleep", "infinity"),
        Map.of(), "", List.of(), ContainerSpec.Security.none(), ContainerSpec.Limits.none(), Path.of("/nonexistent/logs/" + n));
  }

  @Test
  void aContainerStartsAfterTheDelayAndRunsUntilStopped() throws Exception {
    Instant before = Instant.now();
    RunningContainer c = runtime.start(spec(1)).toCompletableFuture().get(5, TimeUnit.SECONDS);
    assertTrue(Duration.between(before, Instant.now()).toMillis() >= 150, "started only after the delay");
    assertFalse(c.exited().toCompletableFuture().isDone());
    assertEquals(List.of(c.id()), runtime.running().stream().map(RunningContainer::id).toList());
    assertEquals(0, runtime.exec(c.id(), List.of("cat", "/tmp/healthy"), Duration.ofSeconds(1))
        .toCompletableFuture().get(1, TimeUnit.SECONDS).exitCode());
    RunningContainer.Exit exit = c.stop(Duration.ofSeconds(30)).toCompletableFuture().get(1, TimeUnit.SECONDS);
    assertEquals(143, exit.exitCode());
    assertTrue(runtime.running().isEmpty());
  }

  @Test
  void thousandsOfContainersShareOneThread() throws Exception {
    int threadsBefore = Thread.activeCount();
    List<CompletableFuture<RunningContainer>> starts = new ArrayList<>();
    for (int i = 0; i < 5000; i++) {
      starts.add(runtime.start(spec(i)).toCompletableFuture());
    }
    CompletableFuture.allOf(starts.toArray(CompletableFuture[]::new)).get(10, TimeUnit.SECONDS);
    assertEquals(5000, runtime.running().size());
    assertTrue(Thread.activeCount() <= threadsBefore + 1, "no thread per container");
    for (CompletableFuture<RunningContainer> s : starts) {
      s.get().stop(Duration.ZERO);
    }
    assertTrue(runtime.running().isEmpty());
  }

  @Test
  void anyWellFormedImagePullsButAnInvalidNameDoesNot() throws Exception {
    assertTrue(runtime.pullImage("example.com/team/app:v7").toCompletableFuture().get().present());
    assertEquals("InvalidImageName", runtime.pullImage("Bad Name").toCompletableFuture().get().reason());
  }
}
