package io.pekkube.actors.scheduler.plugins.defaultpreemption;

import static io.pekkube.actors.scheduler.Fixtures.node;
import static io.pekkube.actors.scheduler.Fixtures.pod;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pekkube.actors.scheduler.Fixtures;
import io.pekkube.actors.scheduler.framework.Framework;
import io.pekkube.actors.scheduler.framework.NodeInfo;
import io.pekkube.actors.scheduler.framework.Plugin;
import io.pekkube.actors.scheduler.framework.PodInfo;
import java.util.List;
import org.junit.jupiter.api.Test;

class DefaultPreemptionTest {
  private final Framework framework = Fixtures.defaultFramework();

  private static PodInfo running(String name, String node, String cpu, int priority) {
    return pod(name).requests("cpu", cpu).priority(priority).nodeName(node).build();
  }

  private Plugin.PostFilterResult preempt(PodInfo pod, List<NodeInfo> nodes) {
    Framework.Result r = framework.schedule(pod, nodes);
    assertTrue(r instanceof Framework.Unschedulable, "the pod must not fit before preemption");
    return framework.runPostFilters(pod, ((Framework.Unschedulable) r).error().nodeStatuses(), nodes);
  }

  @Test
  void evictsTheFewestLowestPriorityPodsThatMakeRoom() {
    // n1: a priority-100 pod of 2 cpu; n2: two priority-10 pods of 1.5 cpu. A 3-cpu pod of priority 1000 fits on
    // n1 by evicting the 100 pod, on n2 by evicting both 10s; n2's victims have the lower top priority.
    NodeInfo n1 = node("n1").with(running("a", "n1", "2", 100), running("keep", "n1", "1", 2000));
    NodeInfo n2 = node("n2").with(running("b", "n2", "1500m", 10), running("c", "n2", "1500m", 10));
    PodInfo urgent = pod("urgent").requests("cpu", "3").priority(1000).build();
    Plugin.PostFilterResult r = preempt(urgent, List.of(n1, n2));
    assertTrue(r.status().isSuccess(), r.toString());
    assertEquals("n2", r.nominatedNode());
    assertEquals(List.of("b", "c"), r.victims().stream().map(PodInfo::name).sorted().toList());
  }

  @Test
  void keepsTheVictimsItCanReprieve() {
    NodeInfo n1 = node("n1").with(running("big", "n1", "3", 5), running("small", "n1", "500m", 1));
    PodInfo urgent = pod("urgent").requests("cpu", "2").priority(1000).build();
    Plugin.PostFilterResult r = preempt(urgent, List.of(n1));
    assertEquals(List.of("big"), r.victims().stream().map(PodInfo::name).toList(), "the small pod can stay");
  }

  @Test
  void equalOrHigherPriorityPodsAreNeverVictims() {
    NodeInfo n1 = node("n1").with(running("peer", "n1", "4", 1000));
    Plugin.PostFilterResult r = preempt(pod("p").requests("cpu", "1").priority(1000).build(), List.of(n1));
    assertFalse(r.status().isSuccess());
    assertEquals("preemption: 0/1 nodes are available: 1 No preemption victims found for incoming pod.",
        r.status().message());
  }

  @Test
  void unresolvableNodesAreNotHelpfulAndPolicyNeverOptsOut() {
    NodeInfo tainted = node("t").taint("k", "v", "NoSchedule").build();
    NodeInfo small = node("s").with(running("low", "s", "1", 0));
    PodInfo huge = pod("p").requests("cpu", "16").priority(10).build();
    Plugin.PostFilterResult r = preempt(huge, List.of(tainted, small));
    assertEquals("preemption: 0/2 nodes are available: 2 Preemption is not helpful for scheduling.",
        r.status().message());
    PodInfo never = pod("n").requests("cpu", "4").priority(10).preemptionPolicy("Never").build();
    assertEquals("preemption: not eligible due to preemptionPolicy=Never.",
        preempt(never, List.of(small)).status().message());
  }
}
