package io.pekkube.node.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** The kubelet's mapping of CPU requests to cgroup shares and weights (pkg/kubelet/cm, runc). */
class CgroupsTest {
  @Test
  void sharesAre1024PerCpuWithinTheKernelsBounds() {
    assertEquals(2, Cgroups.cpuShares(0)); // no request: the minimum, as a BestEffort container
    assertEquals(2, Cgroups.cpuShares(1)); // 1m would be 1 share: clamped to the minimum
    assertEquals(102, Cgroups.cpuShares(100));
    assertEquals(1024, Cgroups.cpuShares(1000));
    assertEquals(262_144, Cgroups.cpuShares(1_000_000)); // clamped to the maximum
  }

  @Test
  void weightsMapTheSharesRangeOntoOneToTenThousand() {
    assertEquals(1, Cgroups.cpuWeight(2));
    assertEquals(39, Cgroups.cpuWeight(1024));
    assertEquals(10_000, Cgroups.cpuWeight(262_144));
  }
}
