package io.pekkube.actors.scheduler;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigValue;
import io.pekkube.actors.scheduler.plugins.interpodaffinity.InterPodAffinity;
import io.pekkube.actors.scheduler.plugins.noderesources.NodeResourcesFit;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The scheduler's configuration ({@code pekkube.scheduler} in reference.conf), read in one place. */
public record SchedulerSettings(
    boolean enabled,
    int percentageOfNodesToScore,
    Duration podInitialBackoff,
    Duration podMaxBackoff,
    Duration podMaxInUnschedulablePods,
    Duration flushUnschedulableEvery,
    Duration flushBackoffEvery,
    int maxBindsInFlight,
    List<Profile> profiles) {

  /**
   * One profile: the pods whose {@code spec.schedulerName} it is, its plugins in order and the weights, and
   * the plugins' arguments.
   */
  public record Profile(String schedulerName, List<String> plugins, Map<String, Integer> scoreWeights,
      NodeResourcesFit.Strategy scoringStrategy, Map<String, Long> resourceWeights, Duration volumeBindTimeout,
      long hardPodAffinityWeight) {}

  /** Kubernetes' {@code VolumeBindingArgs.bindTimeoutSeconds} default. */
  static final Duration DEFAULT_VOLUME_BIND_TIMEOUT = Duration.ofMinutes(10);

  public static SchedulerSettings from(Config root) {
    Config c = root.getConfig("pekkube.scheduler");
    List<Profile> profiles = new ArrayList<>();
    for (Config p : c.getConfigList("profiles")) {
      Config fit = p.getConfig("node-resources-fit");
      Map<String, Integer> weights = new LinkedHashMap<>();
      for (Map.Entry<String, ConfigValue> e : p.getConfig("score-weights").root().entrySet()) {
        weights.put(e.getKey(), ((Number) e.getValue().unwrapped()).intValue());
      }
      Map<String, Long> resources = new LinkedHashMap<>();
      for (Map.Entry<String, ConfigValue> e : fit.getConfig("resources").root().entrySet()) {
        resources.put(e.getKey(), ((Number) e.getValue().unwrapped()).longValue());
      }
      String strategy = fit.getString("scoring-strategy");
      // Profiles are list items, which reference.conf cannot default: without them, Kubernetes' defaults.
      Duration bindTimeout = p.hasPath("volume-binding.bind-timeout") ? p.getDuration("volume-binding.bind-timeout")
          : DEFAULT_VOLUME_BIND_TIMEOUT;
      long hardPodAffinityWeight = p.hasPath("inter-pod-affinity.hard-pod-affinity-weight")
          ? p.getLong("inter-pod-affinity.hard-pod-affinity-weight") : InterPodAffinity.DEFAULT_HARD_POD_AFFINITY_WEIGHT;
      if (hardPodAffinityWeight < 0 || hardPodAffinityWeight > 100) {
        throw new IllegalArgumentException("pekkube.scheduler: hard-pod-affinity-weight must be 0..100, not "
            + hardPodAffinityWeight);
      }
      profiles.add(new Profile(p.getString("scheduler-name"), List.copyOf(p.getStringList("plugins")),
          Map.copyOf(weights), switch (strategy) {
            case "LeastAllocated" -> NodeResourcesFit.Strategy.LEAST_ALLOCATED;
            case "MostAllocated" -> NodeResourcesFit.Strategy.MOST_ALLOCATED;
            default -> throw new IllegalArgumentException(
                "pekkube.scheduler: scoring-strategy must be LeastAllocated or MostAllocated, not " + strategy);
          }, Map.copyOf(resources), bindTimeout, hardPodAffinityWeight));
    }
    int percentage = c.getInt("percentage-of-nodes-to-score");
    if (percentage < 0 || percentage > 100) {
      throw new IllegalArgumentException("pekkube.scheduler.percentage-of-nodes-to-score must be 0..100");
    }
    return new SchedulerSettings(c.getBoolean("enabled"), percentage, c.getDuration("pod-initial-backoff"),
        c.getDuration("pod-max-backoff"), c.getDuration("pod-max-in-unschedulable-pods"),
        c.getDuration("flush-unschedulable-every"), c.getDuration("flush-backoff-every"),
        c.getInt("max-binds-in-flight"), List.copyOf(profiles));
  }
}
