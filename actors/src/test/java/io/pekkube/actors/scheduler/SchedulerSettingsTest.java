package io.pekkube.actors.scheduler;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.ConfigFactory;
import io.pekkube.actors.scheduler.plugins.Registry;
import io.pekkube.actors.scheduler.plugins.noderesources.NodeResourcesFit;
import java.time.Duration;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

class SchedulerSettingsTest {

  @Test
  void referenceDefaultsAreKubernetesDefaults() {
    SchedulerSettings s = Fixtures.settings();
    assertTrue(s.enabled());
    assertEquals(0, s.percentageOfNodesToScore());
    assertEquals(Duration.ofSeconds(1), s.podInitialBackoff());
    assertEquals(Duration.ofSeconds(10), s.podMaxBackoff());
    assertEquals(Duration.ofMinutes(5), s.podMaxInUnschedulablePods());
    SchedulerSettings.Profile p = s.profiles().get(0);
    assertEquals("default-scheduler", p.schedulerName());
    assertEquals(Map.of("TaintToleration", 3, "NodeAffinity", 2, "NodeResourcesFit", 1, "PodTopologySpread", 2,
        "InterPodAffinity", 2), p.scoreWeights());
    assertEquals(1, p.hardPodAffinityWeight());
    assertEquals(NodeResourcesFit.Strategy.LEAST_ALLOCATED, p.scoringStrategy());
    assertEquals(Map.of("cpu", 1L, "memory", 1L), p.resourceWeights());
    assertTrue(p.plugins().contains("VolumeBinding"));
    assertEquals(Duration.ofMinutes(10), p.volumeBindTimeout());
  }

  @Test
  void profilesAndStrategiesComeFromConfiguration() {
    SchedulerSettings s = SchedulerSettings.from(ConfigFactory.parseString("""
        pekkube.scheduler.profiles = [{
          scheduler-name = packer
          plugins = [PrioritySort, NodeResourcesFit]
          score-weights { NodeResourcesFit = 5 }
          node-resources-fit { scoring-strategy = MostAllocated, resources { cpu = 2 } }
        }]
        """).withFallback(ConfigFactory.load()));
    SchedulerSettings.Profile p = s.profiles().get(0);
    assertEquals("packer", p.schedulerName());
    assertEquals(NodeResourcesFit.Strategy.MOST_ALLOCATED, p.scoringStrategy());
    assertEquals(Duration.ofMinutes(10), p.volumeBindTimeout(), "a profile without volume-binding args");
    assertEquals("packer", Registry.framework(s, p, null, new Random(1)).profileName());
  }

  @Test
  void mistakesAreReportedAtStart() {
    SchedulerSettings bad = SchedulerSettings.from(ConfigFactory.parseString(
        "pekkube.scheduler.profiles = [{ scheduler-name = x, plugins = [Nope], score-weights {}, "
            + "node-resources-fit { scoring-strategy = LeastAllocated, resources {} } }]").withFallback(ConfigFactory.load()));
    assertThrows(IllegalArgumentException.class, () -> Registry.framework(bad, bad.profiles().get(0), null, new Random()));
    assertThrows(IllegalArgumentException.class, () -> SchedulerSettings.from(ConfigFactory.parseString(
        "pekkube.scheduler.profiles = [{ scheduler-name = x, plugins = [], score-weights {}, "
            + "node-resources-fit { scoring-strategy = Random, resources {} } }]").withFallback(ConfigFactory.load())));
  }
}
