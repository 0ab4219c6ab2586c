package io.pekkube.node.runtime;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class ProcessGroupsTest {

  @Test
  void killReachesEveryProcessOfTheGroup() throws Exception {
    // A group leader (setsid) with a child of its own, as a container with a process it started.
    Process leader = new ProcessBuilder("setsid", "sh", "-c", "sleep 30 & echo $!; wait").start();
    long child = Long.parseLong(new java.io.BufferedReader(new java.io.InputStreamReader(leader.getInputStream()))
        .readLine().strip());
    await().atMost(Duration.ofSeconds(5)).until(() -> ProcessGroups.processGroup(leader.pid()).orElse(-1) == leader.pid());
    assertEquals(leader.pid(), ProcessGroups.processGroup(child).orElse(-1), "the child is in the leader's group");

    ProcessGroups.signal(leader.pid(), "TERM");

    assertTrue(leader.waitFor(5, TimeUnit.SECONDS), "the leader ended");
    assertEquals(128 + 15, leader.exitValue(), "by SIGTERM");
    await("the child ends with its group").atMost(Duration.ofSeconds(5))
        .until(() -> ProcessGroups.startTicks(child).isEmpty());
  }

  @Test
  void groupsZeroAndOneAreNeverSignalled() {
    // kill(0) would reach this JVM's own group, kill(-1) every process: both must be no-ops.
    ProcessGroups.signal(0, "KILL");
    ProcessGroups.signal(1, "KILL");
    assertTrue(ProcessHandle.current().isAlive());
  }
}
