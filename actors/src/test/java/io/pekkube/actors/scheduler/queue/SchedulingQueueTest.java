package io.pekkube.actors.scheduler.queue;

import static io.pekkube.actors.scheduler.Fixtures.pod;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pekkube.actors.api.BuiltinTypes;
import io.pekkube.actors.scheduler.Fixtures;
import io.pekkube.actors.scheduler.framework.ClusterEvent;
import io.pekkube.actors.scheduler.framework.Framework;
import io.pekkube.actors.scheduler.plugins.interpodaffinity.InterPodAffinity;
import io.pekkube.actors.scheduler.plugins.noderesources.NodeResourcesFit;
import io.pekkube.actors.scheduler.plugins.queuesort.PrioritySort;
import io.pekkube.actors.scheduler.plugins.volumebinding.VolumeBinding;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class SchedulingQueueTest {
  private static final Duration FIVE_MINUTES = Duration.ofMinutes(5);
  private final SchedulingQueue queue = new SchedulingQueue(new PrioritySort(), Duration.ofSeconds(1),
      Duration.ofSeconds(10));

  private List<String> drain() {
    List<String> names = new ArrayList<>();
    for (var p = queue.pop(); p.isPresent(); p = queue.pop()) {
      names.add(p.get().pod().name());
    }
    return names;
  }

  @Test
  void activeQueueOrdersByPriorityThenByTimeQueued() {
    queue.addOrUpdate(pod("low-early").priority(1).build(), 100);
    queue.addOrUpdate(pod("high").priority(10).build(), 300);
    queue.addOrUpdate(pod("low-late").priority(1).build(), 200);
    queue.addOrUpdate(pod("default").build(), 50);
    assertEquals(List.of("high", "low-early", "low-late", "default"), drain());
  }

  @Test
  void onlyAnEventTheRejectingPluginsRegisteredWakesAPod() {
    Framework f = Fixtures.defaultFramework();
    queue.addOrUpdate(pod("affinity").build(), 0);
    queue.addOrUpdate(pod("resources").build(), 0);
    queue.requeueUnschedulable("default/affinity", queue.pop().orElseThrow().cycle(), 0,
        f.eventsToRetry(Set.of(InterPodAffinity.NAME)));
    queue.requeueUnschedulable("default/resources", queue.pop().orElseThrow().cycle(), 0,
        f.eventsToRetry(Set.of(NodeResourcesFit.NAME)));
    queue.onClusterEvent(ClusterEvent.NODE_ALLOCATABLE_CHANGED, 60_000);
    assertEquals(List.of("resources"), drain(), "more allocatable helps a pod short of cpu, not one waiting for a peer");
    queue.onClusterEvent(ClusterEvent.POD_ADDED, 60_000);
    assertEquals(List.of("affinity"), drain(), "a pod placed may be the peer its affinity waits for");
  }

  @Test
  void aPodVolumeBindingRejectedWakesOnAStorageChangeNotOnAPod() {
    Framework f = Fixtures.defaultFramework();
    assertTrue(f.events().contains(ClusterEvent.PVC_ADDED), "the default profile watches the storage types");
    queue.addOrUpdate(pod("claims").build(), 0);
    queue.requeueUnschedulable("default/claims", queue.pop().orElseThrow().cycle(), 0,
        f.eventsToRetry(Set.of(VolumeBinding.NAME)));
    queue.onClusterEvent(ClusterEvent.POD_ADDED, 60_000);
    assertEquals(List.of(), drain());
    queue.onClusterEvent(ClusterEvent.ofStorage(BuiltinTypes.PERSISTENT_VOLUME, "MODIFIED"), 60_000);
    assertEquals(List.of("claims"), drain(), "a volume that changed may now match the claim");
  }

  @Test
  void aPodRejectedByAPluginWithoutRegisteredEventsWakesOnAny() {
    Framework f = Fixtures.defaultFramework();
    assertEquals(EnumSet.allOf(ClusterEvent.class), f.eventsToRetry(Set.of("SomeoneElse")));
    assertEquals(EnumSet.allOf(ClusterEvent.class), f.eventsToRetry(Set.of()), "no node at all: anything may help");
    assertTrue(f.eventsToRetry(Set.of(InterPodAffinity.NAME, NodeResourcesFit.NAME))
        .containsAll(EnumSet.of(ClusterEvent.POD_LABELS_CHANGED, ClusterEvent.NODE_ALLOCATABLE_CHANGED)), "the union");
  }

  @Test
  void backoffDoublesFromOneSecondUpToTen() {
    List<Long> seconds = new ArrayList<>();
    for (int attempts = 1; attempts <= 6; attempts++) {
      seconds.add(queue.backoffOf(attempts).toSeconds());
    }
    assertEquals(List.of(1L, 2L, 4L, 8L, 10L, 10L), seconds);
  }

  @Test
  void anUnschedulablePodWaitsForAClusterEventNotForTheClock() {
    queue.addOrUpdate(pod("p").build(), 0);
    var popped = queue.pop().orElseThrow();
    queue.requeueUnschedulable("default/p", popped.cycle(), 1_000);
    queue.flushBackoffCompleted(60_000);
    assertEquals(0, queue.activeCount(), "time alone does not bring it back");
    assertEquals(1, queue.unschedulableCount());
    queue.onClusterEvent(60_000);
    assertEquals(List.of("p"), drain());
  }

  @Test
  void anEventDuringItsBackoffSendsThePodToBackoffFirst() {
    queue.addOrUpdate(pod("p").build(), 0);
    var popped = queue.pop().orElseThrow();
    queue.requeueUnschedulable("default/p", popped.cycle(), 1_000); // backoff of attempt 1: until 2_000
    queue.onClusterEvent(1_500);
    assertEquals(1, queue.backoffCount());
    queue.flushBackoffCompleted(1_999);
    assertEquals(0, queue.activeCount());
    queue.flushBackoffCompleted(2_000);
    assertEquals(List.of("p"), drain());
  }

  @Test
  void anEventWhileThePodIsInFlightIsNotLost() {
    queue.addOrUpdate(pod("p").build(), 0);
    var popped = queue.pop().orElseThrow();
    queue.onClusterEvent(500); // a node joins while the cycle runs
    queue.requeueUnschedulable("default/p", popped.cycle(), 1_000);
    assertEquals(0, queue.unschedulableCount());
    assertEquals(1, queue.backoffCount(), "tried again after its backoff, without waiting for another event");
  }

  @Test
  void leftoverUnschedulablePodsAreFlushedAfterFiveMinutes() {
    queue.addOrUpdate(pod("p").build(), 0);
    queue.requeueUnschedulable("default/p", queue.pop().orElseThrow().cycle(), 0);
    queue.flushUnschedulableLeftover(FIVE_MINUTES.toMillis() - 1, FIVE_MINUTES);
    assertEquals(1, queue.unschedulableCount());
    queue.flushUnschedulableLeftover(FIVE_MINUTES.toMillis(), FIVE_MINUTES);
    assertEquals(List.of("p"), drain());
  }

  @Test
  void anUpdatedUnschedulablePodIsTriedAgain() {
    queue.addOrUpdate(pod("p").build(), 0);
    queue.requeueUnschedulable("default/p", queue.pop().orElseThrow().cycle(), 0);
    queue.addOrUpdate(pod("p").toleration("k", "Exists", "", "").build(), 5_000);
    var again = queue.pop().orElseThrow();
    assertEquals(1, again.pod().tolerations().size(), "the new version is scheduled");
    assertEquals(2, again.attempts());
  }

  @Test
  void deletedAndBoundPodsLeaveTheQueue() {
    queue.addOrUpdate(pod("a").build(), 0);
    queue.addOrUpdate(pod("b").build(), 0);
    queue.delete("default/a");
    var b = queue.pop().orElseThrow();
    queue.done("default/b");
    assertTrue(queue.pop().isEmpty());
    assertTrue(!queue.contains("default/a") && !queue.contains("default/b"), b.toString());
  }

  @Test
  void aFailedBindingBacksOff() {
    queue.addOrUpdate(pod("p").build(), 0);
    queue.pop().orElseThrow();
    queue.requeueAfterError("default/p", 10_000);
    assertEquals(1, queue.backoffCount());
    queue.flushBackoffCompleted(11_000);
    assertEquals(List.of("p"), drain());
  }
}
